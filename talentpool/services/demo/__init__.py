"""The demo data set (talentpool seed-demo) and its history for the dashboard and reports."""
