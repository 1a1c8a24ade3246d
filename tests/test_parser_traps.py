"""Each trap of the sources, tested on lines copied from the real files."""

from __future__ import annotations

from corpus.csml_book import parse_sessions
from corpus.csml_grid import parse_grid, split_names
from corpus.lines import Warnings, clean_lines
from corpus.text import join_lines, normalize, strip_markup, strip_placeholder


def _sessions(text: str, student: str = ""):
    w = Warnings()
    talks = parse_sessions(clean_lines(text), "t.txt", w, student)
    return talks, w.items


# --- 2022: page numbers, wrapped titles, blank-line-broken abstracts, padded names -----------


def test_bare_number_line_is_a_page_footer_but_a_number_in_a_line_is_text():
    text = """六、分会报告 A1 专题：图像科学中的机器学习方法
A1-3 超图计算

高跃，清华大学

摘要：最后介绍了超图计算在计算

机 4 视觉、数据挖掘和智慧医疗等领域的应用。

 37 
"""
    (t,), warnings = _sessions(text)
    assert t.abstract == "最后介绍了超图计算在计算机 4 视觉、数据挖掘和智慧医疗等领域的应用。"
    assert warnings == []


def test_blank_lines_inside_an_abstract(talk):
    t = talk("csml2022-A1-3")
    assert t.abstract.startswith("本报告主要介绍超图计算理论及方法。超图是一种广义的图结构")
    assert "\n" not in t.abstract


def test_title_wrapped_over_lines_and_blank_lines():
    text = """ 六、分会报告 A2 专题：复杂度和泛化理论 
A2-2 Neural Network Weights Do Not Converge to Stationary Points: An Invariant Measure 

Perspective 

张景昭，清华大学 

Abstract: This work examines the deep disconnect between existing theoretical analyses of gradient-based 

algorithms and the practice of training deep neural networks. 
"""
    (t,), warnings = _sessions(text)
    assert t.title == "Neural Network Weights Do Not Converge to Stationary Points: An Invariant Measure Perspective"
    assert (t.speaker, t.affiliation) == ("张景昭", "清华大学")
    assert t.abstract.startswith(
        "This work examines the deep disconnect between existing theoretical analyses of gradient-based algorithms"
    )
    assert warnings == []


def test_wrapped_chinese_joins_without_space_and_latin_with_one():
    assert join_lines(
        [
            "然而（在不超过 3维的物理问题上）其表现堪忧：实践上，鲜有比肩传统数值方法的实例；理论上，",
            "缺乏稳定、收敛性证明。",
        ]
    ) == (
        "然而（在不超过 3维的物理问题上）其表现堪忧：实践上，鲜有比肩传统数值方法的实例；理论上，缺乏稳定、收敛性证明。"
    )
    assert (
        join_lines(["tackling challenging inverse and ill-", "posed problems"])
        == "tackling challenging inverse and ill-posed problems"
    )
    assert join_lines(
        [
            "Stochastic Gradient Descent (SGD) and its variants are mainstream methods for training deep ",
            "networks in practice.",
        ]
    ) == (
        "Stochastic Gradient Descent (SGD) and its variants are mainstream methods for training deep networks in practice."
    )


GRID_2022 = """三、会议日程 
8 月 18 日 
15:30-16:00 茶歇 
16:00-18:00 
分会 B 
B3专题：机器学习中的优化问题（一） 
（腾讯会议：931-700-565） 
陈彩华：Algorithmic Design for Wasserstein DRO Based 
Trustworthy Machine Learning（线上） 
刘    歆：Decentralized Optimization Over the Stiefel Manifold by 
an Approximate Augmented Lagrangian Function（线
上） 
丁    超：Perturbation analysis of nonsmooth optimization on 
manifolds 
文再文 
映塔 A 会议室
（二层） 
四、邀请报告 
"""


def test_grid_online_split_over_two_lines_padded_names_chairs_and_room():
    sessions, _ = parse_grid(GRID_2022.splitlines(), 2022, set())
    b3 = sessions["B3"]
    assert (b3.date, b3.time, b3.room) == ("2022-08-18", "16:00-18:00", "映塔A会议室")
    assert b3.chairs == ["文再文"]
    assert b3.online_speakers == {"陈彩华", "刘歆"}  # 刘歆's （线上） is split over two lines; 丁超 is on site


def test_padded_two_character_names(talk):
    assert talk("csml2022-A1-1").speaker == "梁栋"  # printed "梁    栋" in the grid
    assert talk("csml2022-A1-1").online is True
    assert talk("csml2022-A1-4").online is False


# --- 2024: markdown/HTML debris, garbled table of contents, doubled markers, one-line records --


def test_markup_debris_is_stripped():
    assert strip_markup("#### A1-1 梯度算法的隐式偏差与对抗鲁棒性") == "A1-1 梯度算法的隐式偏差与对抗鲁棒性"
    assert strip_markup("**摘要:**估计神经网络的样本效率") == "摘要:估计神经网络的样本效率"
    assert strip_markup("8:20-8:40\t<b>致</b> 辞\t张耀宇").split("\t")[1].replace(" ", "") == "致辞"
    assert (
        strip_markup("<p>王立元：脑启发的持续学习方法与生理健康应用</p>").strip()
        == "王立元：脑启发的持续学习方法与生理健康应用"
    )
    assert "<sup>" not in strip_markup("x<sup>2</sup>")


def test_garbled_table_of_contents_is_not_taken_for_sections(corpus, talk):
    # The 2024 table of contents prints '十四\t9、分会报告 B3 专题: 机器学习与交叉(I)\t. 31' and the like.
    sessions = {t.session: t.session_title for t in corpus.talks if t.event == "csml2024" and t.session}
    assert len(sessions) == 35
    assert sessions["B3"] == "机器学习与交叉(I)"
    assert talk("csml2024-A1-1").session_title == "机器学习理论"


def test_doubled_abstract_marker():
    text = """十四、分会报告 B4 专题: 脑启发的神经网络模型、算法与应用(II)
#### B4-1 神经网络中的具身概念形成、理解和交流

余山, 中国科学院自动化研究所

摘要: 摘要:随着超级人工智能模型 "ChatGPT"的成功,我们对智能的理解正在发生变化。
"""
    (t,), _ = _sessions(text)
    assert t.abstract.startswith('随着超级人工智能模型 "ChatGPT"的成功')


def test_title_and_speaker_on_one_line():
    text = """# 九、分会报告 A6 专题: 动理学方程与机器学习
# A6-2 Solving Boltzmann equation using neural sparse representation 王艳莉, 北京计算科学研究中心

摘要: We consider the neural sparse representation to solve Boltzmann equation.

## 二十三、分会报告 C2 专题: 机器学习与统计
### C2-2 A Statistical Theory of Regularization-Based Continual Learning **林伟**, 北京大学数学科学学院

**摘要:** We provide a statistical analysis of regularization-based continual learning.
"""
    (a, b), warnings = _sessions(text)
    assert (a.code, a.title, a.speaker, a.affiliation) == (
        "A6-2",
        "Solving Boltzmann equation using neural sparse representation",
        "王艳莉",
        "北京计算科学研究中心",
    )
    assert (b.title, b.speaker, b.affiliation) == (
        "A Statistical Theory of Regularization-Based Continual Learning",
        "林伟",
        "北京大学数学科学学院",
    )
    assert b.abstract.startswith("We provide")
    assert warnings == []


def test_real_one_line_records(talk):
    assert talk("csml2024-C3-3").speaker == "张拳石"
    assert talk("csml2024-C9-3").speaker == "陈子昂"
    assert talk("csml2024-C9-3").title == "On Representing (Mixed-Integer) Linear Programs by Graph Neural Networks"


def test_full_width_and_ascii_separators(talk):
    assert talk("csml2022-A1-2").affiliation == "西安交通大学"  # '孟德宇，西安交通大学'
    assert talk("csml2024-A1-3").affiliation == "北京大学数学科学学院"  # '吴磊, 北京大学数学科学学院'
    assert talk("csml2024-A4-3").speaker == "张铁林"  # '张铁林、中国科学院…'
    assert normalize("ＰＩＮＮ　的失效") == "pinn 的失效"


def test_affiliation_with_a_stray_note(talk):
    # printed: '叶财渊, 中国科学院物理研究所(标间,和刘家轩合住)'
    assert talk("csml2024-B7-4").affiliation == "中国科学院物理研究所"


# --- 2025: records glued with '**', placeholders, duplicate abstracts ------------------------


def test_records_glued_on_one_line():
    text = """分会报告 B3 专题：神经科学和人工智能（II）
B3-4 神经递质调控效应启发的类脑算法研究
黄子昱, 西安交通大学
摘要: (TBD)**分会报告 B4 专题: AI for Math****B4-1 High-Entropy Minority Tokens Drive Effective Reinforcement Learning for LLM Reasoning**
郑楚杰, 阿里集团
摘要: (TBD)**B4-2 面向组合数学的定理自动生成和证明**
支丽红, 中国科学院数学与系统科学研究院
摘要: 自动化定理证明 (ATP) 传统上依赖于证明搜索。
"""
    talks, warnings = _sessions(text)
    assert [(t.code, t.session, t.speaker) for t in talks] == [
        ("B3-4", "B3", "黄子昱"),
        ("B4-1", "B4", "郑楚杰"),
        ("B4-2", "B4", "支丽红"),
    ]
    assert talks[1].session_title == "AI for Math"
    assert talks[1].title == "High-Entropy Minority Tokens Drive Effective Reinforcement Learning for LLM Reasoning"
    assert [strip_placeholder(t.abstract) for t in talks[:2]] == ["", ""]
    assert warnings == []


def test_real_glued_records(talk):
    assert talk("csml2025-B6-1").speaker == "刘锦鹏" and talk("csml2025-B6-1").session_title == "量子计算理论与方法"
    assert talk("csml2025-C5-1").speaker == "张露婵" and talk("csml2025-C5-1").has_abstract


def test_placeholders():
    for empty in ("TBA", "(TBD)", "（TBD）", "无", " TBA "):
        assert strip_placeholder(empty) == ""
    assert strip_placeholder("(TBD) 由于在算力和带宽两方面的明显优势") == "由于在算力和带宽两方面的明显优势"


def test_placeholder_records_stay(talk):
    for tid in ("csml2022-B1-4", "csml2025-B1-1", "csml2025-B4-1", "csml2025-D7-4"):
        t = talk(tid)
        assert not t.has_abstract and t.abstract == "" and t.title
    # 'C4-3 ... 摘要: (TBD)' is a bare placeholder, its neighbour C4-2 prints '(TBD) 由于...'
    assert talk("csml2025-C4-3").has_abstract is False and talk("csml2025-C4-3").abstract == ""


def test_tbd_followed_by_real_text_keeps_the_text(corpus, talk):
    hits = [t.id for t in corpus.talks if t.abstract.startswith("由于在算力和带宽两方面的明显优势")]
    assert hits == ["csml2025-C4-2"] and talk("csml2025-C4-2").has_abstract


def test_duplicate_abstracts_are_marked(corpus):
    dups = {t.id: t.duplicate_of for t in corpus.talks if t.duplicate_of}
    assert dups == {"csml2025-D3-3": "csml2025-A3-1", "csml2025-D8-1": "csml2025-D7-1"}


def test_glued_chair_names_split_on_known_names():
    known = {"胡伟", "李颖洲", "周栋焯", "李松挺"}
    assert split_names("周栋焯李松挺", known) == ["周栋焯", "李松挺"]
    assert split_names("胡伟李颖洲", known) == ["胡伟", "李颖洲"]
    assert split_names("王涵 王磊", known) == ["王涵", "王磊"]
    assert split_names("李颖洲\n（线上）", known) == ["李颖洲"]


def test_schedule_joined_to_talks(talk):
    t = talk("csml2024-B4-2")
    assert (t.date, t.time, t.room) == ("2024-08-10", "16:00-18:00", "会场4（陈瑞球楼312）")
    assert t.chairs == ["国长屿", "周栋焯", "李松挺"]
    inv = talk("csml2022-INV-1")
    assert (inv.speaker, inv.date, inv.time) == ("许志钦", "2022-08-19", "8:45-9:30")
    e1 = talk("csml2025-E1-1")
    assert (e1.kind, e1.date, e1.time) == ("student", "2025-08-10", "16:00-18:00")
    assert talk("csml2024-A8-1").chairs == ["胡伟", "李颖洲"]


# --- seminar page ----------------------------------------------------------------------------


def test_seminar_records(talk):
    first = talk("seminar-2021-11-27-1")
    second = talk("seminar-2021-11-27-2")  # printed without its own Time: line
    assert (first.speaker, first.title) == ("王宇航", "冷冻电镜原理及相关算法")
    assert (second.speaker, second.date, second.time) == ("朱通", "2021-11-27", "9:30-11:30")
    assert first.bio.startswith("王宇航")
    lecture = talk("seminar-2020-11-01-1")
    assert (lecture.kind, lecture.speaker, lecture.has_abstract) == ("lecture", "Weinan E", False)
    two = talk("seminar-2021-06-19-1")
    assert two.speakers == ["Zhong Li", "Qianxiao Li"]
    xu = talk("seminar-2021-07-17-1")
    assert (xu.speaker, xu.affiliation) == ("许志钦", "上海交通大学")


def test_parallel_sessions_merged_on_one_line_do_not_share_room_and_chairs(corpus):
    """CSML 2024 prints D1 and D2 (same slot) on one extracted line ending in one set of chairs and
    one room: they are D1's; D2's were lost, and saying so beats putting two sessions in one room."""
    by_id = {t.id: t for t in corpus.talks}
    d1, d2 = by_id["csml2024-D1-1"], by_id["csml2024-D2-1"]
    assert d1.room.startswith("会场1") and d1.chairs == ["吴磊", "梁经纬"]
    assert d2.room == "" and d2.chairs == [] and (d2.date, d2.time) == (d1.date, d1.time)
    assert any("session D2: the schedule prints no room" in p for p in corpus.problems)
