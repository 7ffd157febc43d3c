"""Report queries: the prefecture dashboard, the fiscal-measure workbook, the national overview.

Pure queries: plain values in, dataclasses out; nothing here writes but `recruitment`, the
recruitment costs (募集経費) the coordinator records for the fiscal-measure workbook. Every
figure is an SQL aggregate (GROUP BY), and the number of statements does not grow with the
data. Where a figure needs months within a fiscal year, SQL groups the rows by their period and
`talentpool.fiscal.months_in_year` is applied to each group, so 年度 arithmetic stays in one place.
"""
