"""Every user-facing message of the tabular package, in one place.

Messages are Japanese `str.format` templates, translated lazily: formatted inside a request they
are in the user's language; outside one (CLI, unit tests) they stay Japanese.
"""

from flask_babel import lazy_gettext as _l

# reading
ENCODING = _l(
    "ファイルの文字コードを判別できませんでした。"
    "UTF-8 または Shift_JIS (CP932) で保存してください。"
)
ENCODING_EUC_JP = _l(
    "ファイルの文字コードが EUC-JP のようです。このままでは文字化けするため読み込めません。"
    "UTF-8 または Shift_JIS (CP932) で保存し直してください"
    "(Excel なら「CSV UTF-8 (コンマ区切り)」で保存できます)。"
)
ENCODING_MIXED = _l(
    "ファイルの中で文字コードが混在しています(UTF-8 の行と Shift_JIS (CP932) の行)。"
    "このままでは文字化けするため読み込めません。"
    "すべての行を同じ文字コード(UTF-8 を推奨)で保存し直してください。"
)
NOT_XLSX = _l(
    "Excel ファイル(.xlsx)として読み込めませんでした。"
    "ファイルが壊れていないか、拡張子が正しいか確認してください。"
)
XLSX_TOO_LARGE = _l(
    "Excel ファイルの展開後のサイズが大きすぎます(上限 {limit_mb} MB)。ファイルを分割してください。"
)
XLSX_NO_SHEET = _l("Excel ファイルにワークシートがありません。")
CSV_BROKEN = _l("CSV ファイルの形式が正しくありません。")
TOO_MANY_ROWS = _l("データ行が多すぎます(上限 {limit:,} 行)。ファイルを分割してください。")
TOO_MANY_PRESENT_ROWS = _l(
    "空の行を含めて行が多すぎます(上限 {limit:,} 行)。"
    "データのない行を削除するか、ファイルを分割してください。"
)
EMPTY = _l("ファイルが空か、見出し行がありません。1行目に列名を入れてください。")
UNKNOWN_EXTENSION = _l(
    "対応していないファイル形式です({ext})。.xlsx または .csv のファイルを選んでください。"
)

# header mapping and rows
MISSING_COLUMNS = _l("必須の列がありません: {labels}")
DUPLICATE_HEADER = _l("列『{label}』が重複しています(『{first}』と『{second}』)。")
IGNORED_COLUMN = _l("列『{header}』は取り込み対象外のため無視しました")
BLANK_HEADER = _l("{index}列目は見出しが空のため無視しました")
REQUIRED_VALUE = _l("入力が必要です。")
DUPLICATE_VALUE = _l("『{value}』が{row}行目と重複しています。")

# value parsers
BOOL = _l(
    "『{value}』を読み取れません。はい/いいえ、○/×、1/0、true/false のいずれかを入力してください。"
)
INT = _l("『{value}』は整数として読み取れません。")
INT_BETWEEN = _l("{min}以上{max}以下の整数を入力してください(入力値: {value})。")
INT_MIN = _l("{min}以上の整数を入力してください(入力値: {value})。")
INT_MAX = _l("{max}以下の整数を入力してください(入力値: {value})。")
DATE_FORMAT = _l(
    "『{value}』は日付として読み取れません。"
    "2026-04-01、2026/4/1、2026年4月1日、令和8年4月1日、R8.4.1 などの形式で入力してください。"
)
DATE_IMPOSSIBLE = _l("『{value}』は存在しない日付です。")
DATE_RANGE = _l("1900年から2100年までの日付を入力してください(入力値: {value})。")
ERA_RANGE = _l("『{value}』は{era}の期間({span})に含まれません。")
CHOICE = _l("『{value}』は選択肢にありません。次のいずれかを入力してください: {accepted}")
LIST_UNKNOWN_CODES = _l(
    "登録されていない項目があります: {items}。使えるコード(名称でも入力できます): {codes}"
)
ROW = _l("{row}行目")
ROW_COLUMN = _l("{row}行目『{column}』")
LG_CODE_FORMAT = _l(
    "『{value}』は全国地方公共団体コードとして読み取れません。"
    "検査数字を含む6桁の数字で入力してください。"
)
LG_CODE_CHECK = _l("全国地方公共団体コード『{value}』の検査数字が正しくありません。")
PREFECTURE_CODE = _l(
    "『{value}』は都道府県コードとして読み取れません。"
    "01〜47 の2桁、または6桁の団体コードで入力してください。"
)
EMAIL = _l("『{value}』はメールアドレスの形式ではありません。")
TOO_LONG = _l("{max_length}文字以内で入力してください(現在 {length} 文字)。")

# import templates
CODES_SHEET = _l("コード一覧")
CODES_MEANING = _l("意味")
CODES_ERROR_TITLE = _l("一覧にない値です")
CODES_ERROR = _l("『{label}』は一覧から選んでください(「コード一覧」シートを参照)。")
