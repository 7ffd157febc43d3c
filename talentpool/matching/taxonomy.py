"""Default Japanese labels of the skill and focus-area taxonomy (product brief).

Callers normally pass the labels held in the database; these are the fallback.
"""

DEFAULT_LABELS: dict[str, str] = {
    "frontyard": "自治体フロントヤード改革(書かない窓口・オンライン申請)",
    "standardization": "基幹業務システムの標準化・ガバメントクラウド移行",
    "eltax": "公金収納におけるeLTAXの活用",
    "mynumber": "マイナンバーカードの普及・利活用",
    "security": "情報セキュリティ対策",
    "ai_rpa": "AI・RPAの利用推進",
    "telework": "テレワークの推進",
    "regional_dx": "地域社会DX(交通・防災・農業・医療・観光)",
    "digital_divide": "デジタルデバイド対策",
    "data": "データ利活用・オープンデータ・EBPM",
    "bpr": "業務改革(BPR)",
    "strategy": "DX推進計画・推進体制(CIO補佐官)",
    "hr_development": "職員育成(DX推進リーダー)",
    "procurement": "ICT調達・ベンダーマネジメント",
    "role_business_architect": "ビジネスアーキテクト",
    "role_designer": "デザイナー",
    "role_data_scientist": "データサイエンティスト",
    "role_software_engineer": "ソフトウェアエンジニア",
    "role_cybersecurity": "サイバーセキュリティ",
    "cloud": "クラウド",
    "network": "ネットワーク(LGWAN・三層分離)",
    "project_management": "プロジェクトマネジメント",
}
