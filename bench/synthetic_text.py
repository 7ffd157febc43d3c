"""Synthetic Japanese request and experience texts for the page benches (phrases per skill code)."""

from __future__ import annotations

import random

PHRASES = {
    "frontyard": [
        "書かない窓口の導入",
        "申請書作成支援システム",
        "窓口DXの推進",
        "オンライン申請の拡大",
        "ワンストップ窓口の設計",
        "電子申請システムの導入",
    ],
    "standardization": [
        "20業務の標準化",
        "ガバクラへの移行",
        "基幹系システムの移行計画",
        "標準準拠システムへの移行",
        "ガバメントクラウド接続",
        "Fit&Gap分析",
    ],
    "eltax": [
        "eLTAXによる公金収納",
        "地方税統一QRコード対応",
        "納付書の様式改修",
        "共通納税の拡大",
    ],
    "mynumber": [
        "マイナンバーカードの交付体制",
        "マイナ保険証の利用促進",
        "コンビニ交付の導入",
        "出張申請受付",
    ],
    "security": [
        "情報セキュリティポリシーの改定",
        "CSIRTの運用",
        "標的型メール訓練",
        "脆弱性診断",
        "ISMS認証の取得",
    ],
    "ai_rpa": [
        "生成AIの利用ガイドライン",
        "ChatGPTの研修",
        "RPAシナリオ作成",
        "AI-OCRの導入",
        "AIチャットボット",
        "LLMによる要約",
    ],
    "telework": ["在宅勤務の導入", "リモートワーク環境", "Web会議の整備"],
    "regional_dx": [
        "デマンド交通の導入",
        "自動運転バスの実証",
        "防災アプリ",
        "スマート農業の普及",
        "オンライン診療",
        "観光DXの推進",
    ],
    "digital_divide": ["スマホ教室の講師", "デジタル活用支援員", "高齢者向け相談会"],
    "data": [
        "EBPMの推進",
        "根拠に基づく政策立案",
        "オープンデータの公開",
        "BIダッシュボード",
        "統合型GIS",
    ],
    "bpr": [
        "業務量調査",
        "業務フローの見直し",
        "BPRの計画策定",
        "ペーパーレス化",
        "電子決裁の導入",
    ],
    "strategy": ["DX推進計画の策定", "CIO補佐官としての助言", "推進体制の構築", "情報化計画の改定"],
    "hr_development": ["DX推進リーダーの育成", "職員研修の講師", "リスキリング支援"],
    "procurement": [
        "調達仕様書の作成",
        "ベンダー選定の評価",
        "ベンダーマネジメント",
        "保守費の見直し",
    ],
    "cloud": ["AWSでの環境構築", "Azureへの移行", "クラウド利用料の最適化"],
    "network": ["LGWAN接続系の設計", "三層分離の見直し", "無線LANの整備"],
    "project_management": [
        "PMOとして進捗管理",
        "プロジェクトマネジメント",
        "移行スケジュールの調整",
    ],
}
FILLER = [
    "市町村を支援した",
    "県内で実績あり",
    "民間企業での経験",
    "住民説明会を開催",
    "複数自治体で実施",
    "庁内の合意形成を担当",
    "現場の職員と伴走した",
]
HOURS = [10, 20, 20, 30, 40]


def _text(rng: random.Random, codes: list[str], n: int) -> str:
    picks = [rng.choice(PHRASES[rng.choice(codes)]) for _ in range(n)]
    return "、".join(picks + [rng.choice(FILLER)]) + "。"
