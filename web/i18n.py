"""UI labels in Chinese and English; ?ui=zh|en switches, the choice is kept in the URL."""

from __future__ import annotations

from search.notes import say

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "title": "talksearch",
        "tagline": (
            "Search and browse the talks of CSML 2022, 2024 and 2025 and the Joint Seminar of Machine Learning"
            " (2020-2021), in Chinese or English"
        ),
        "search": "Search",
        "placeholder": "e.g. PINN implicit regularization, 扩散模型 逆问题, 许志钦",
        "experts": "Find experts",
        "assign_nav": "Assign reviewers",
        "no_page": "There is no page at this address.",
        "no_strong": "No strong match: these are the closest talks, but none is clearly about your query.",
        "results": "{total} talks match",
        "also": "Also searched",
        "people": "People",
        "event": "Event",
        "kind": "Kind",
        "lang": "Language",
        "session": "Session",
        "related": "Related talks",
        "other_year": "other year",
        "abstract": "Abstract",
        "bio": "Speaker",
        "chairs": "Chairs",
        "no_abstract": "No abstract was printed for this talk.",
        "duplicate": "The programme printed the abstract of {other} for this talk.",
        "talks": "Talks",
        "roles": "Roles",
        "names": "Names",
        "affiliations": "Affiliations",
        "topic": "Topic, talk id or pasted abstract",
        "exclude_aff": "Exclude affiliation (conflict of interest)",
        "topics": "Ready-made topics",
        "download": "Download CSV",
        "evidence": "Evidence",
        "prev": "Previous",
        "next": "Next",
        "all": "all",
        "not_found": "Not found",
        "bad_request": "Bad request",
        "programme": "Programme",
        "programmes": "Programmes",
        "topics_nav": "Topics",
        "topic_map": "Topic map",
        "time": "Time",
        "room": "Room",
        "date": "Date",
        "day": "Day",
        "untimed": "Sessions without a time in the programme",
        "untimed_talks": "Talks without a time in the programme",
        "calendar": "Add to calendar (.ics)",
        "calendar_all": "Whole programme as a calendar (.ics)",
        "session_of": "Session {code}",
        "invited": "Invited talks",
        "sessions_n": "{n} sessions",
        "talks_n": "{n} talks",
        "speakers": "Speakers",
        "back": "Back to results",
        "about_record": "About this record",
        "record_id": "Record id",
        "source": "Source",
        "online": "online",
        "did_you_mean": "Did you mean",
        "no_match": "No talk matches your query.",
        "room_unknown": "Room not printed",
        "pasted_gone": "This pasted query is no longer stored on the server. Paste the text into the search box again.",
        "closest": "No talk clearly matches your query; these are the closest few.",
        "range": "{first}-{last} of {total}",
        "why": "Why this result",
        "dense": "meaning (dense)",
        "lexical": "words (lexical)",
        "translations": "translations",
        "year": "Year",
        "sort": "Sort",
        "by_relevance": "relevance",
        "by_date": "date (newest day first)",
        "remove_filter": "remove filter",
        "filters": "Filters",
        "empty_filter": "No talk matches with these filters: remove one above.",
        "no_year": "No talks in {years}: the events are {known}.",
        "score": "score",
        "person_match": "names a speaker",
        "best_sentence": "closest sentence",
        "words_found": "query words in the title or excerpt: {words}",
        "word_sep": ", ",
        "no_words_found": "none of the query's words is in the title or excerpt: found by meaning",
        "more": "{n} more",
        "per_year": "Matching talks per year",
        "directions": "Research directions",
        "themes": "Session themes",
        "top_speakers": "Top speakers",
        "find_experts": "Find experts on this topic",
        "map_help": (
            "Each dot is a talk, placed by the meaning of its abstract (PCA of the embeddings): nearby dots are"
            " about similar things. Colour: event. Hover for the title, click to open the talk."
        ),
        "topics_help": "The 13 research directions of the study plan, each searched over all talks",
        "per_event": "{n} matching talks, by event",
        "search_topic": "Search these talks",
        "no_map": "This index has no topic map; rebuild it with `talksearch build`.",
        "api_title": "API reference",
        "parameters": "Parameters",
        "responses": "Responses",
        "body": "Request body",
        "api_spec": "Machine-readable specification",
        "unknown_event": "unknown event '{event}'; the events are {known}",
        "unknown_session": "event {event} has no session '{code}'; its sessions are {known}",
        "unknown_talk": "unknown talk id '{id}'",
        "name": "Name",
        "where": "In",
        "type": "Type",
        "rules": "Limits",
        "description": "Description",
        "required": "required",
    },
    "zh": {
        "title": "talksearch 报告检索",
        "tagline": "检索和浏览 CSML 2022、2024、2025 大会与机器学习联合研讨会（2020-2021）的报告，中英文皆可",
        "search": "搜索",
        "placeholder": "例如：PINN implicit regularization、扩散模型 逆问题、许志钦",
        "experts": "寻找专家",
        "assign_nav": "分配审稿人",
        "no_page": "此地址没有页面。",
        "no_strong": "没有很匹配的结果：以下是最接近的报告，但都不是明确相关的。",
        "results": "共 {total} 个报告",
        "also": "同时检索",
        "people": "人物",
        "event": "会议",
        "kind": "类型",
        "lang": "语言",
        "session": "分会",
        "related": "相关报告",
        "other_year": "其他年份",
        "abstract": "摘要",
        "bio": "报告人简介",
        "chairs": "主持人",
        "no_abstract": "该报告没有印出摘要。",
        "duplicate": "程序册为该报告印的是 {other} 的摘要。",
        "talks": "报告",
        "roles": "角色",
        "names": "姓名写法",
        "affiliations": "单位",
        "topic": "主题、报告编号或粘贴摘要",
        "exclude_aff": "排除单位（利益冲突）",
        "topics": "预设主题",
        "download": "下载 CSV",
        "evidence": "依据",
        "prev": "上一页",
        "next": "下一页",
        "all": "全部",
        "not_found": "未找到",
        "bad_request": "请求有误",
        "programme": "日程",
        "programmes": "会议日程",
        "topics_nav": "主题",
        "topic_map": "主题地图",
        "time": "时间",
        "room": "地点",
        "date": "日期",
        "day": "日期",
        "untimed": "日程中没有时间的分会",
        "untimed_talks": "日程中没有时间的报告",
        "calendar": "加入日历（.ics）",
        "calendar_all": "整个日程导出为日历（.ics）",
        "session_of": "分会 {code}",
        "invited": "特邀报告",
        "sessions_n": "{n} 个分会",
        "talks_n": "{n} 个报告",
        "speakers": "报告人",
        "back": "返回检索结果",
        "about_record": "关于这条记录",
        "record_id": "记录编号",
        "source": "来源",
        "online": "线上",
        "did_you_mean": "您是不是要找",
        "no_match": "没有报告与您的检索匹配。",
        "room_unknown": "会场未注明",
        "pasted_gone": "服务器上已不再保存这段粘贴的检索文本，请把文本重新粘贴到检索框中。",
        "closest": "没有报告明确匹配您的检索；以下是最接近的几个。",
        "range": "第 {first}-{last} 个",
        "why": "为什么是这个结果",
        "dense": "语义（向量）",
        "lexical": "词语（词法）",
        "translations": "翻译",
        "year": "年份",
        "sort": "排序",
        "by_relevance": "相关度",
        "by_date": "日期（最近的日子在前）",
        "remove_filter": "移除筛选",
        "filters": "筛选",
        "empty_filter": "在这些筛选条件下没有匹配的报告：请移除上方的某个筛选条件。",
        "no_year": "{years} 年没有报告：各会议的年份是 {known}。",
        "score": "得分",
        "person_match": "检索词包含报告人姓名",
        "best_sentence": "最接近的句子",
        "words_found": "标题或摘录中的检索词：{words}",
        "word_sep": "、",
        "no_words_found": "标题和摘录中没有检索词：按语义找到",
        "more": "另外 {n} 项",
        "per_year": "每年匹配的报告数",
        "directions": "研究方向",
        "themes": "分会主题",
        "top_speakers": "主要报告人",
        "find_experts": "寻找这个主题的专家",
        "map_help": (
            "每个点是一个报告，位置由摘要的语义决定（向量的主成分分析）：相近的点内容相近。"
            "颜色表示会议。悬停可见标题，点击打开报告。"
        ),
        "topics_help": "研究计划的 13 个研究方向，每个方向在全部报告中检索",
        "per_event": "{n} 个匹配的报告，按会议统计",
        "search_topic": "检索这些报告",
        "no_map": "该索引没有主题地图；请用 `talksearch build` 重新构建。",
        "api_title": "API 文档",
        "parameters": "参数",
        "responses": "响应",
        "body": "请求体",
        "api_spec": "机器可读的规范",
        "unknown_event": "没有会议「{event}」；现有会议：{known}",
        "unknown_session": "会议 {event} 没有分会「{code}」；它的分会是 {known}",
        "unknown_talk": "没有编号为「{id}」的报告",
        "name": "名称",
        "where": "位置",
        "type": "类型",
        "rules": "限制",
        "description": "说明",
        "required": "必填",
    },
}


def labels(ui: str | None) -> dict[str, str]:
    return LABELS.get(ui or "", LABELS["zh" if ui == "zh" else "en"])


# Names of the bundled events; an event users add keeps the name it was added with in both UIs.
EVENT_NAMES = {
    "en": {
        "csml2022": "CSML 2022 — China Conference on Machine Learning and Scientific Applications",
        "csml2024": "CSML 2024 — China Conference on Machine Learning and Scientific Applications",
        "csml2025": "CSML 2025 — China Conference on Machine Learning and Scientific Applications",
        "seminar": "Joint Seminar of Machine Learning 2020-2021",
    },
    "zh": {
        "csml2022": "CSML 2022 中国机器学习与科学应用大会",
        "csml2024": "CSML 2024 中国机器学习与科学应用大会",
        "csml2025": "CSML 2025 中国机器学习与科学应用大会",
        "seminar": "机器学习联合研讨会 2020-2021",
    },
}
SHORT_EVENT_NAMES = {"csml2022": "CSML 2022", "csml2024": "CSML 2024", "csml2025": "CSML 2025"}
SHORT_EVENT_NAMES_UI = {"en": {"seminar": "Joint Seminar"}, "zh": {"seminar": "联合研讨会"}}

WORDS = {
    "en": {
        "invited": "invited talk", "session": "session talk", "student": "student session", "seminar": "seminar talk",
        "lecture": "lecture", "zh": "Chinese", "mixed": "Chinese + English", "speaker": "speaker", "chair": "chair",
        "committee": "committee", "round table": "round table",
    },
    "zh": {
        "invited": "特邀报告", "session": "分会报告", "student": "学生分会", "seminar": "研讨会报告", "lecture": "讲座",
        "zh": "中文", "en": "英文", "mixed": "中英混合", "speaker": "报告人", "chair": "主持人", "committee": "委员会",
        "round table": "圆桌论坛",
    },
}  # fmt: skip
WORDS["en"]["en"] = "English"

# The study plan's 13 directions are printed in Chinese only.
TOPIC_TITLES_EN = {
    "深度学习的表示理论和泛化理论": "Representation and generalization theory of deep learning",
    "深度学习的训练方法": "Training methods for deep learning",
    "微分方程与机器学习": "Differential equations and machine learning",
    "隐私保护的机器学习方法": "Privacy-preserving machine learning",
    "脑科学启发的新一代人工智能方法": "Brain-inspired next-generation AI methods",
    "数据驱动与知识驱动融合的人工智能方法": "AI methods combining data-driven and knowledge-driven approaches",
    "科学计算领域的人工智能方法": "AI methods for scientific computing",
    "人工智能驱动的下一代微观科学计算平台": "AI-driven next-generation platforms for microscale scientific computing",
    "开放环境下多智能体协作的智能感知理论与方法": "Multi-agent collaborative perception in open environments",
    "可通用的专业领域人机交互方法": "General-purpose human-computer interaction for specialised domains",
    "下一代多模态数据编程框架": "Next-generation multimodal data programming frameworks",
    "支持下一代人工智能的开放型高质量科学数据库": "Open, high-quality scientific databases for next-generation AI",
    "高精度、可解释的谱学和影像数据分析方法": "High-precision, interpretable analysis of spectroscopy and imaging data",
}


# search.notes and corpus.notes templates in Chinese (same keys, same values; the English text is the fallback).
NOTES_ZH = {
    "no_abstract": "没有摘要：仅按标题匹配",
    "no_authors": "没有作者：未按作者排除任何人",
    "no_affiliations": "没有单位：未按同单位排除任何人",
    "affiliation_school": "单位「{aff}」只写了学院或系，未检查其利益冲突",
    "affiliation_unknown": "单位「{aff}」不在机构表中，未检查其利益冲突",
    "author": "{name} 是作者（「{author}」）",
    "same_institution": "{name} 与投稿同在 {institution}（「{aff}」）",
    "no_expert": "没有与「{query}」强匹配的报告，因此不列出专家",
    "closest_people": "没有与「{query}」强匹配的报告：以下是最接近的人，并非专家",
    "unchecked": "无法为 {people} 检查单位排除：其印出的单位不对应任何机构",
    "is_name_of": "「{value}」是 {name} 的姓名",
    "no_name": "语料中没有名为「{value}」的人；未排除任何人",
    "nobody_there": "「{value}」即 {names}，但语料中无人属于该机构；未排除任何人",
    "no_institution": "没有机构与「{value}」匹配；未排除任何人",
    "did_you_mean": "——您是否要找 {hint}？",
    "institution": "「{alias}」指 {label}：印出的单位「{text}」属于 {hit}",
    "inferred": "「{alias}」指 {label}：印出的单位「{text}」（只写了学院；据同一人的「{source}」确定）属于 {hit}",
    "part_of": "（{unit} 的一部分）",
    "speaker": "{talk}（{title}）的报告人",
    "summary_size": "{n} 篇投稿 × 每篇 {k} 位审稿人，审稿人共 {pool} 位（最大负载 {max_load}），匹配度计算与求解用时 "
    "{seconds} 秒",
    "summary_affinity": "平均匹配度 {mean:.4f}；无约束最优（每篇取其最佳 {k} 位，不限负载） {optimum:.4f}："
    "达到其 {ratio:.1%}",
    "summary_best": "分到最匹配审稿人的投稿：{share:.1%}",
    "loads": "负载（每位审稿人分到的投稿数）：",
    "load": "{n} 位审稿人 × {k} 篇",
    "list_comma": "，",
    "summary_conflicts": "排除的利益冲突对：{n}",
    "printed": "「{value}」不在机构表中；印出的单位「{aff}」包含它",
    "unknown_format": "未知格式「{suffix}」；请使用 .jsonl 或 .csv",
    "no_submissions": "文件中没有投稿",
    "too_many": "共 {n} 篇投稿；一次最多 {limit} 篇",
    "not_submission": "每篇投稿必须是一个 JSON 对象",
    "duplicate_id": "字段 id：「{id}」出现了两次；id 必须唯一",
    "not_names": "字段 {field}：必须是姓名列表（CSV 中用 ';' 分隔）",
    "blank_name": "字段 {field}：列表中第 {positions} 个姓名为空；请删去",
    "bad_id": "字段 id：「{value}」只能由字母、数字和 _ . : - 组成",
    # corpus.notes: problems of a file and its rows
    "at_row": "{name} 第 {no} 行：",
    "at_file": "{name}：",
    "bad_json": "不是有效的 JSON（第 {column} 列：{error}）",
    "not_object": "每一行必须是一个 JSON 对象",
    "bad_csv": "不是有效的 CSV（{error}）",
    "extra_cells": "单元格比表头的列多",
    "unknown_fields": "未知字段 {fields}；允许的字段：{allowed}",
    "missing": "字段 {field}：缺失（必填）",
    "not_text": "字段 {field}：必须是文本，而不是 {kind}",
    "too_long": "字段 {field}：超过 {limit} 个字符",
    "bom_mismatch": "以 {encoding} 字节顺序标记开头，但不是 {encoding} 文本（第 {byte} 字节）；请另存为 UTF-8",
    "nul_bytes": "不是文本文件（含有 NUL 字节）；请另存为 UTF-8、带字节顺序标记的 UTF-16 或 GB18030",
    "not_utf8_gb": "既不是 UTF-8 也不是 GB18030 文本；请另存为 UTF-8",
}


def note(message: str, ui: str) -> str:
    """A search.notes message in the UI language."""
    return say(message, NOTES_ZH) if ui == "zh" else str(message)


def event_name(event: str, stored: str, ui: str) -> str:
    """The event's full name in the UI language (an added event keeps its own name)."""
    return EVENT_NAMES["zh" if ui == "zh" else "en"].get(event, stored or event)


def short_event_name(event: str, ui: str) -> str:
    lang = "zh" if ui == "zh" else "en"
    return SHORT_EVENT_NAMES.get(event) or SHORT_EVENT_NAMES_UI[lang].get(event, event)


def word(value: str, ui: str) -> str:
    """A kind, language or role in words; unknown values are shown as they are."""
    return WORDS["zh" if ui == "zh" else "en"].get(value, value)


def topic_title(title: str, ui: str) -> str:
    return TOPIC_TITLES_EN.get(title, title) if ui != "zh" else title
