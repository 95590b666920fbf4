# ruff: noqa: E501 - one line per question and language keeps the translations side by side
"""The built-in partnership assessment, as source a secretariat can read, diff and adapt.

It covers the five marks of a successful partnership, the success factors
and the usual constraints of partnerships (docs/surveys.md), in Roundtable's
own words, in English, French, Spanish, Arabic, Chinese and Russian. Each
scored question names its scorecard dimension in the ``scorecard`` column.

``assessment_xlsx()`` writes it as an ordinary XLSForm (``.xlsx``) with
openpyxl; the web app creates surveys from that file, and a secretariat can
download it, change it in a spreadsheet and upload it again. No Django.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .xlsform import Form, read_xlsform, write_xlsform

SLUG = "partnership-assessment"
LANGUAGES = {
    "en": "English",
    "fr": "Français",
    "es": "Español",
    "ar": "العربية",
    "zh": "中文",
    "ru": "Русский",
}
TITLE = "Partnership assessment"
FORM_ID = "roundtable_partnership_assessment"
VERSION = "2"

T = dict[str, str]

# --- Answer scales -------------------------------------------------------------

AGREE: list[tuple[str, int | None, T]] = [
    ("1", 1, {"en": "Strongly disagree", "fr": "Pas du tout d'accord", "es": "Totalmente en desacuerdo", "ar": "لا أوافق إطلاقًا", "zh": "非常不同意", "ru": "Совсем не согласен(-на)"}),
    ("2", 2, {"en": "Disagree", "fr": "Plutôt pas d'accord", "es": "En desacuerdo", "ar": "لا أوافق", "zh": "不同意", "ru": "Скорее не согласен(-на)"}),
    ("3", 3, {"en": "Neither agree nor disagree", "fr": "Ni d'accord ni pas d'accord", "es": "Ni de acuerdo ni en desacuerdo", "ar": "محايد", "zh": "既不同意也不反对", "ru": "Ни да, ни нет"}),
    ("4", 4, {"en": "Agree", "fr": "Plutôt d'accord", "es": "De acuerdo", "ar": "أوافق", "zh": "同意", "ru": "Скорее согласен(-на)"}),
    ("5", 5, {"en": "Strongly agree", "fr": "Tout à fait d'accord", "es": "Totalmente de acuerdo", "ar": "أوافق بشدة", "zh": "非常同意", "ru": "Полностью согласен(-на)"}),
    ("dont_know", None, {"en": "Don't know", "fr": "Je ne sais pas", "es": "No sé", "ar": "لا أعرف", "zh": "不知道", "ru": "Не знаю"}),
]  # fmt: skip

HINDRANCE: list[tuple[str, int | None, T]] = [
    ("1", 1, {"en": "Not at all", "fr": "Pas du tout", "es": "En absoluto", "ar": "لا على الإطلاق", "zh": "完全没有", "ru": "Совсем не мешало"}),
    ("2", 2, {"en": "A little", "fr": "Un peu", "es": "Un poco", "ar": "قليلًا", "zh": "有一点", "ru": "Немного"}),
    ("3", 3, {"en": "Quite a lot", "fr": "Assez", "es": "Bastante", "ar": "بقدر ملحوظ", "zh": "比较多", "ru": "Довольно сильно"}),
    ("4", 4, {"en": "A great deal", "fr": "Beaucoup", "es": "Mucho", "ar": "كثيرًا جدًا", "zh": "非常多", "ru": "Очень сильно"}),
    ("dont_know", None, {"en": "Don't know", "fr": "Je ne sais pas", "es": "No sé", "ar": "لا أعرف", "zh": "不知道", "ru": "Не знаю"}),
]  # fmt: skip

STAKEHOLDER: list[tuple[str, int | None, T]] = [
    ("government", None, {"en": "Government", "fr": "Gouvernement", "es": "Gobierno", "ar": "الحكومة", "zh": "政府", "ru": "Правительство"}),
    ("private_sector", None, {"en": "Private sector", "fr": "Secteur privé", "es": "Sector privado", "ar": "القطاع الخاص", "zh": "私营部门", "ru": "Частный сектор"}),
    ("civil_society", None, {"en": "Civil society", "fr": "Société civile", "es": "Sociedad civil", "ar": "المجتمع المدني", "zh": "民间社会", "ru": "Гражданское общество"}),
    ("academia", None, {"en": "Academia", "fr": "Milieu universitaire", "es": "Ámbito académico", "ar": "الأوساط الأكاديمية", "zh": "学术界", "ru": "Академические круги"}),
    ("technical", None, {"en": "Technical community", "fr": "Communauté technique", "es": "Comunidad técnica", "ar": "المجتمع التقني", "zh": "技术界", "ru": "Техническое сообщество"}),
    ("igo", None, {"en": "Intergovernmental organisation", "fr": "Organisation intergouvernementale", "es": "Organización intergubernamental", "ar": "منظمة حكومية دولية", "zh": "政府间组织", "ru": "Межправительственная организация"}),
]  # fmt: skip

MODE: list[tuple[str, int | None, T]] = [
    ("in_person", None, {"en": "In person", "fr": "En présentiel", "es": "En persona", "ar": "حضوريًا", "zh": "现场参加", "ru": "Очно"}),
    ("online", None, {"en": "Online", "fr": "En ligne", "es": "En línea", "ar": "عبر الإنترنت", "zh": "在线参加", "ru": "Онлайн"}),
    ("both", None, {"en": "Both", "fr": "Les deux", "es": "Ambas", "ar": "كلاهما", "zh": "两者兼有", "ru": "И так, и так"}),
]  # fmt: skip

HELPERS: list[tuple[str, int | None, T]] = [
    ("chatham_house", None, {"en": "Discussion under the Chatham House Rule", "fr": "Les discussions sous la règle de Chatham House", "es": "Los debates bajo la regla de Chatham House", "ar": "النقاش وفق قاعدة تشاتام هاوس", "zh": "遵循查塔姆宫规则的讨论", "ru": "Обсуждения по правилу Чатем-хауса"}),
    ("consultations", None, {"en": "Open consultations with the public", "fr": "Les consultations ouvertes au public", "es": "Las consultas abiertas al público", "ar": "المشاورات المفتوحة للجمهور", "zh": "向公众开放的磋商", "ru": "Открытые консультации с общественностью"}),
    ("remote", None, {"en": "Being able to take part online", "fr": "La possibilité de participer en ligne", "es": "La posibilidad de participar en línea", "ar": "إمكانية المشاركة عبر الإنترنت", "zh": "能够在线参与", "ru": "Возможность участвовать онлайн"}),
    ("secretariat", None, {"en": "Support from the secretariat", "fr": "Le soutien du secrétariat", "es": "El apoyo de la secretaría", "ar": "دعم الأمانة", "zh": "秘书处的支持", "ru": "Поддержка секретариата"}),
    ("chair", None, {"en": "The chair's guidance", "fr": "L'orientation donnée par la présidence", "es": "La orientación de la presidencia", "ar": "توجيه الرئيس", "zh": "主席的引导", "ru": "Руководство председателя"}),
    ("between_meetings", None, {"en": "Discussion between meetings", "fr": "Les échanges entre les réunions", "es": "Los intercambios entre reuniones", "ar": "النقاش بين الاجتماعات", "zh": "会议间隙的讨论", "ru": "Обсуждения между встречами"}),
    ("translation", None, {"en": "Documents in my language", "fr": "Les documents dans ma langue", "es": "Los documentos en mi idioma", "ar": "الوثائق بلغتي", "zh": "以我的语言提供的文件", "ru": "Документы на моём языке"}),
    ("other", None, {"en": "Something else", "fr": "Autre chose", "es": "Otra cosa", "ar": "شيء آخر", "zh": "其他", "ru": "Другое"}),
]  # fmt: skip

CHOICE_LISTS = {
    "agree": AGREE,
    "hindrance": HINDRANCE,
    "stakeholder": STAKEHOLDER,
    "mode": MODE,
    "helpers": HELPERS,
}

# --- Texts used more than once ----------------------------------------------------

AGREE_NOTE: T = {"en": "How far do you agree with each of these statements?", "fr": "Dans quelle mesure êtes-vous d'accord avec chacune de ces affirmations ?", "es": "¿En qué medida está de acuerdo con cada una de estas afirmaciones?", "ar": "إلى أي مدى توافق على كل من العبارات التالية؟", "zh": "您在多大程度上同意以下各项陈述？", "ru": "Насколько вы согласны с каждым из этих утверждений?"}  # fmt: skip
OPEN_HINT: T = {"en": "Please do not name people: answers are shown word for word in the results.", "fr": "Merci de ne nommer personne : les réponses figurent telles quelles dans les résultats.", "es": "Por favor, no nombre a nadie: las respuestas se muestran textualmente en los resultados.", "ar": "يُرجى عدم ذكر أسماء أشخاص، فالإجابات تُعرض حرفيًا في النتائج.", "zh": "请勿提及任何人的姓名：答复将按原文显示在结果中。", "ru": "Пожалуйста, не называйте имён: ответы приводятся в результатах дословно."}  # fmt: skip

# --- The survey sheet --------------------------------------------------------------
# Each row: XLSForm columns; "label", "hint" and "constraint_message" by language.

SURVEY: list[dict[str, Any]] = [
    {"type": "begin_group", "name": "about", "label": {"en": "About you", "fr": "À propos de vous", "es": "Sobre usted", "ar": "معلومات عنك", "zh": "关于您", "ru": "О вас"}},
    {"type": "note", "name": "intro", "label": {
        "en": "This survey is anonymous: your answers are stored without your name, your e-mail address or the time you answered. Results by stakeholder group are only shown where enough people answered that no one can be singled out.",
        "fr": "Cette enquête est anonyme : vos réponses sont enregistrées sans votre nom, votre adresse électronique ni l'heure à laquelle vous avez répondu. Les résultats par groupe de parties prenantes ne sont affichés que lorsque suffisamment de personnes ont répondu pour que personne ne puisse être identifié.",
        "es": "Esta encuesta es anónima: sus respuestas se guardan sin su nombre, su dirección de correo electrónico ni la hora en que respondió. Los resultados por grupo de partes interesadas solo se muestran cuando han respondido suficientes personas como para que nadie pueda ser identificado.",
        "ar": "هذا الاستبيان مجهول الهوية: تُحفظ إجاباتك دون اسمك أو عنوان بريدك الإلكتروني أو وقت إجابتك. ولا تُعرض النتائج حسب فئة أصحاب المصلحة إلا إذا أجاب عدد كافٍ من الأشخاص بحيث لا يمكن تمييز أي شخص بعينه.",
        "zh": "本调查为匿名调查：保存您的答复时不记录您的姓名、电子邮件地址或答复时间。只有在答复人数足够、无法辨认出任何个人时，才会按利益相关方群体显示结果。",
        "ru": "Этот опрос анонимный: ваши ответы хранятся без вашего имени, адреса электронной почты и времени ответа. Результаты по группам заинтересованных сторон показываются только тогда, когда ответило достаточно людей, чтобы никого нельзя было выделить.",
    }},
    {"type": "select_one stakeholder", "name": "stakeholder_group", "label": {"en": "Which stakeholder group do you belong to?", "fr": "À quel groupe de parties prenantes appartenez-vous ?", "es": "¿A qué grupo de partes interesadas pertenece?", "ar": "إلى أي فئة من فئات أصحاب المصلحة تنتمي؟", "zh": "您属于哪个利益相关方群体？", "ru": "К какой группе заинтересованных сторон вы относитесь?"},
     "hint": {"en": "Used only to compare groups; small groups are never shown on their own.", "fr": "Sert uniquement à comparer les groupes ; les petits groupes ne sont jamais présentés séparément.", "es": "Solo se utiliza para comparar grupos; los grupos pequeños nunca se muestran por separado.", "ar": "يُستخدم فقط للمقارنة بين الفئات؛ ولا تُعرض الفئات الصغيرة بمفردها أبدًا.", "zh": "仅用于比较各群体；人数少的群体绝不会单独显示。", "ru": "Используется только для сравнения групп; малые группы никогда не показываются отдельно."}},
    {"type": "select_one mode", "name": "participation", "label": {"en": "How did you mostly take part in meetings?", "fr": "Comment avez-vous principalement participé aux réunions ?", "es": "¿Cómo participó principalmente en las reuniones?", "ar": "كيف شاركت في الاجتماعات في الغالب؟", "zh": "您主要以何种方式参加会议？", "ru": "Как вы в основном участвовали во встречах?"}},
    {"type": "end_group", "name": "about"},

    {"type": "begin_group", "name": "marks", "label": {"en": "What the group achieved", "fr": "Ce que le groupe a accompli", "es": "Lo que logró el grupo", "ar": "ما حققته المجموعة", "zh": "小组的成果", "ru": "Чего добилась группа"}},
    {"type": "note", "name": "marks_note", "label": AGREE_NOTE},
    {"type": "select_one agree", "name": "mark_purpose", "required": "yes", "scorecard": "mark_purpose", "label": {"en": "The group did what it set out to do.", "fr": "Le groupe a fait ce qu'il s'était proposé de faire.", "es": "El grupo hizo lo que se había propuesto.", "ar": "أنجزت المجموعة ما عزمت على القيام به.", "zh": "小组完成了它原定要做的事情。", "ru": "Группа сделала то, что намеревалась сделать."}},
    {"type": "select_one agree", "name": "mark_reach", "required": "yes", "scorecard": "mark_reach", "label": {"en": "Our work has made a difference beyond the people and organisations in the group.", "fr": "Notre travail a eu un effet au-delà des personnes et des organisations membres du groupe.", "es": "Nuestro trabajo ha tenido un efecto más allá de las personas y organizaciones del grupo.", "ar": "كان لعملنا أثر يتجاوز الأشخاص والمنظمات الأعضاء في المجموعة.", "zh": "我们的工作在小组成员及其组织之外也产生了影响。", "ru": "Наша работа повлияла не только на людей и организации, входящие в группу."}},
    {"type": "select_one agree", "name": "mark_sustainability", "required": "yes", "scorecard": "mark_sustainability", "label": {"en": "What we started will last after the group ends.", "fr": "Ce que nous avons lancé durera après la fin du groupe.", "es": "Lo que iniciamos perdurará después de que el grupo termine.", "ar": "ما بدأناه سيستمر بعد انتهاء عمل المجموعة.", "zh": "我们开创的工作在小组结束后仍将持续。", "ru": "Начатое нами сохранится и после завершения работы группы."}},
    {"type": "select_one agree", "name": "mark_value", "required": "yes", "scorecard": "mark_value", "label": {"en": "Taking part added value to my own work or organisation.", "fr": "Ma participation a apporté une valeur ajoutée à mon propre travail ou à mon organisation.", "es": "Participar aportó valor a mi propio trabajo o a mi organización.", "ar": "أضافت مشاركتي قيمة إلى عملي أو إلى منظمتي.", "zh": "参与小组工作为我本人的工作或所在组织带来了价值。", "ru": "Участие принесло пользу моей собственной работе или организации."}},
    {"type": "select_one agree", "name": "mark_fit", "required": "yes", "scorecard": "mark_fit", "label": {"en": "Working together across stakeholder groups was the best way to do this job.", "fr": "Travailler ensemble entre groupes de parties prenantes était la meilleure façon d'accomplir cette tâche.", "es": "Trabajar juntos entre grupos de partes interesadas era la mejor manera de hacer este trabajo.", "ar": "كان العمل المشترك بين فئات أصحاب المصلحة أفضل طريقة لإنجاز هذه المهمة.", "zh": "跨利益相关方群体共同合作是完成这项工作的最佳方式。", "ru": "Совместная работа разных групп заинтересованных сторон была лучшим способом выполнить эту задачу."}},
    {"type": "text", "name": "reach_why", "relevant": "${mark_reach} = '1' or ${mark_reach} = '2'", "label": {"en": "What kept our work from reaching further?", "fr": "Qu'est-ce qui a empêché notre travail d'avoir une plus grande portée ?", "es": "¿Qué impidió que nuestro trabajo llegara más lejos?", "ar": "ما الذي منع عملنا من الوصول إلى مدى أبعد؟", "zh": "是什么限制了我们工作的影响范围？", "ru": "Что помешало нашей работе получить больший охват?"}, "hint": OPEN_HINT},
    {"type": "end_group", "name": "marks"},

    {"type": "begin_group", "name": "factors", "label": {"en": "How we worked", "fr": "Notre façon de travailler", "es": "Cómo trabajamos", "ar": "طريقة عملنا", "zh": "我们的工作方式", "ru": "Как мы работали"}},
    {"type": "note", "name": "factors_note", "label": AGREE_NOTE},
    {"type": "select_one agree", "name": "factor_openness", "scorecard": "factor_openness", "label": {"en": "Information was shared openly and communication was clear.", "fr": "L'information circulait ouvertement et la communication était claire.", "es": "La información se compartió abiertamente y la comunicación fue clara.", "ar": "جرى تبادل المعلومات بانفتاح وكان التواصل واضحًا.", "zh": "信息得到公开分享，沟通清晰。", "ru": "Информацией делились открыто, а общение было ясным."}},
    {"type": "select_one agree", "name": "factor_equity", "scorecard": "factor_equity", "label": {"en": "Every stakeholder group took part on an equal footing.", "fr": "Chaque groupe de parties prenantes a participé sur un pied d'égalité.", "es": "Todos los grupos de partes interesadas participaron en pie de igualdad.", "ar": "شاركت كل فئة من فئات أصحاب المصلحة على قدم المساواة.", "zh": "每个利益相关方群体都在平等的基础上参与。", "ru": "Все группы заинтересованных сторон участвовали на равных."}},
    {"type": "select_one agree", "name": "factor_competencies", "scorecard": "factor_competencies", "label": {"en": "Each participant contributed what they do best.", "fr": "Chaque participant a apporté ce qu'il sait faire de mieux.", "es": "Cada participante aportó lo que mejor sabe hacer.", "ar": "أسهم كل مشارك بما يتقنه أكثر من غيره.", "zh": "每位参与者都贡献了自己最擅长的东西。", "ru": "Каждый участник вносил вклад в том, что у него получается лучше всего."}},
    {"type": "select_one agree", "name": "factor_flexibility", "scorecard": "factor_flexibility", "label": {"en": "The group changed its ways of working when circumstances required it.", "fr": "Le groupe a adapté ses méthodes de travail lorsque les circonstances l'exigeaient.", "es": "El grupo cambió su forma de trabajar cuando las circunstancias lo requirieron.", "ar": "غيّرت المجموعة أساليب عملها عندما اقتضت الظروف ذلك.", "zh": "在情况需要时，小组调整了工作方式。", "ru": "Группа меняла методы работы, когда этого требовали обстоятельства."}},
    {"type": "select_one agree", "name": "factor_roles", "scorecard": "factor_roles", "label": {"en": "Everyone knew their role and the ground rules.", "fr": "Chacun connaissait son rôle et les règles du jeu.", "es": "Todos conocían su función y las reglas básicas.", "ar": "كان كل شخص يعرف دوره والقواعد الأساسية للعمل.", "zh": "每个人都清楚自己的角色和基本规则。", "ru": "Каждый знал свою роль и основные правила работы."}},
    {"type": "select_one agree", "name": "factor_respect", "scorecard": "factor_respect", "label": {"en": "Differences of view and background were respected.", "fr": "Les divergences de vues et d'horizons étaient respectées.", "es": "Se respetaron las diferencias de opinión y de origen.", "ar": "احتُرمت الاختلافات في الآراء والخلفيات.", "zh": "不同的观点和背景得到尊重。", "ru": "Различия во взглядах и опыте уважались."}},
    {"type": "select_one agree", "name": "factor_benefit", "scorecard": "factor_benefit", "label": {"en": "Every stakeholder group gained something from the work.", "fr": "Chaque groupe de parties prenantes a tiré profit du travail.", "es": "Todos los grupos de partes interesadas obtuvieron algún beneficio del trabajo.", "ar": "استفادت كل فئة من فئات أصحاب المصلحة من العمل بشكل ما.", "zh": "每个利益相关方群体都从这项工作中有所收获。", "ru": "Каждая группа заинтересованных сторон что-то получила от этой работы."}},
    {"type": "select_one agree", "name": "factor_champions", "scorecard": "factor_champions", "label": {"en": "The group had strong champions who kept the work moving.", "fr": "Le groupe comptait des personnes très engagées qui faisaient avancer le travail.", "es": "El grupo contó con impulsores decididos que mantuvieron el trabajo en marcha.", "ar": "كان في المجموعة مناصرون أقوياء حافظوا على سير العمل.", "zh": "小组中有得力的倡导者推动工作不断前进。", "ru": "В группе были сильные лидеры, которые двигали работу вперёд."}},
    {"type": "end_group", "name": "factors"},

    {"type": "begin_group", "name": "constraints", "label": {"en": "What held us back", "fr": "Ce qui nous a freinés", "es": "Lo que nos frenó", "ar": "ما الذي أعاقنا", "zh": "阻碍我们的因素", "ru": "Что нам мешало"}},
    {"type": "note", "name": "constraints_note", "label": {"en": "How much did each of these hold the work back?", "fr": "Dans quelle mesure chacun de ces éléments a-t-il freiné le travail ?", "es": "¿En qué medida frenó el trabajo cada uno de estos factores?", "ar": "إلى أي حد أعاق كل من هذه العوامل العمل؟", "zh": "以下各项在多大程度上阻碍了工作？", "ru": "В какой мере каждый из этих факторов мешал работе?"}},
    {"type": "select_one hindrance", "name": "constraint_suspicion", "scorecard": "constraint_suspicion", "label": {"en": "Mistrust between sectors", "fr": "La méfiance entre les secteurs", "es": "La desconfianza entre sectores", "ar": "انعدام الثقة بين القطاعات", "zh": "各部门之间的不信任", "ru": "Недоверие между секторами"}},
    {"type": "select_one hindrance", "name": "constraint_cultures", "scorecard": "constraint_cultures", "label": {"en": "Clashing working cultures of our organisations", "fr": "Des cultures de travail incompatibles entre nos organisations", "es": "Culturas de trabajo enfrentadas entre nuestras organizaciones", "ar": "تضارب ثقافات العمل في منظماتنا", "zh": "各组织工作文化的冲突", "ru": "Несовместимость рабочих культур наших организаций"}},
    {"type": "select_one hindrance", "name": "constraint_roles", "scorecard": "constraint_roles", "label": {"en": "Unclear roles and responsibilities", "fr": "Des rôles et des responsabilités mal définis", "es": "Funciones y responsabilidades poco claras", "ar": "عدم وضوح الأدوار والمسؤوليات", "zh": "角色和职责不明确", "ru": "Нечёткое распределение ролей и обязанностей"}},
    {"type": "select_one hindrance", "name": "constraint_skills", "scorecard": "constraint_skills", "label": {"en": "Missing skills or expertise", "fr": "Le manque de compétences ou d'expertise", "es": "Falta de habilidades o conocimientos especializados", "ar": "نقص المهارات أو الخبرات", "zh": "缺乏技能或专业知识", "ru": "Нехватка навыков или экспертных знаний"}},
    {"type": "select_one hindrance", "name": "constraint_power", "scorecard": "constraint_power", "label": {"en": "Imbalances of power between participants", "fr": "Les déséquilibres de pouvoir entre participants", "es": "Desequilibrios de poder entre los participantes", "ar": "اختلال موازين القوة بين المشاركين", "zh": "参与者之间的权力不平衡", "ru": "Неравенство сил между участниками"}},
    {"type": "select_one hindrance", "name": "constraint_bureaucracy", "scorecard": "constraint_bureaucracy", "label": {"en": "Bureaucracy and slow procedures", "fr": "La bureaucratie et la lenteur des procédures", "es": "La burocracia y los procedimientos lentos", "ar": "البيروقراطية وبطء الإجراءات", "zh": "官僚作风和程序缓慢", "ru": "Бюрократия и медленные процедуры"}},
    {"type": "select_one hindrance", "name": "constraint_funding", "scorecard": "constraint_funding", "label": {"en": "Too little funding or support at the start", "fr": "Un financement ou un soutien insuffisant au démarrage", "es": "Financiación o apoyo insuficientes al inicio", "ar": "قلة التمويل أو الدعم في البداية", "zh": "起步阶段资金或支持不足", "ru": "Недостаточное финансирование или поддержка на старте"}},
    {"type": "select_one hindrance", "name": "constraint_evaluation", "scorecard": "constraint_evaluation", "label": {"en": "Results that are hard to measure", "fr": "Des résultats difficiles à mesurer", "es": "Resultados difíciles de medir", "ar": "صعوبة قياس النتائج", "zh": "成果难以衡量", "ru": "Трудноизмеримые результаты"}},
    {"type": "end_group", "name": "constraints"},

    {"type": "begin_group", "name": "overall", "label": {"en": "Looking back", "fr": "Bilan", "es": "En retrospectiva", "ar": "نظرة إلى الوراء", "zh": "回顾", "ru": "Оглядываясь назад"}},
    {"type": "select_multiple helpers", "name": "helped", "label": {"en": "What helped the group most? Choose all that apply.", "fr": "Qu'est-ce qui a le plus aidé le groupe ? Cochez toutes les réponses qui s'appliquent.", "es": "¿Qué fue lo que más ayudó al grupo? Marque todas las opciones que correspondan.", "ar": "ما الذي ساعد المجموعة أكثر من غيره؟ اختر كل ما ينطبق.", "zh": "什么对小组帮助最大？请选择所有适用项。", "ru": "Что больше всего помогло группе? Отметьте все подходящие варианты."}},
    {"type": "text", "name": "helped_other", "relevant": "selected(${helped}, 'other')", "label": {"en": "What else helped?", "fr": "Qu'est-ce qui a aidé d'autre ?", "es": "¿Qué más ayudó?", "ar": "ما الذي ساعد أيضًا؟", "zh": "还有什么起了帮助作用？", "ru": "Что ещё помогло?"}},
    {"type": "integer", "name": "overall_score", "constraint": ". >= 0 and . <= 10",
     "label": {"en": "Overall, how would you rate the group's work, from 0 (very poor) to 10 (excellent)?", "fr": "Dans l'ensemble, comment évalueriez-vous le travail du groupe, de 0 (très insuffisant) à 10 (excellent) ?", "es": "En general, ¿cómo calificaría el trabajo del grupo, de 0 (muy deficiente) a 10 (excelente)?", "ar": "بوجه عام، كيف تقيّم عمل المجموعة على مقياس من 0 (ضعيف جدًا) إلى 10 (ممتاز)؟", "zh": "总体而言，您如何评价小组的工作？请从 0（很差）到 10（优秀）打分。", "ru": "В целом как вы оцениваете работу группы по шкале от 0 (очень плохо) до 10 (отлично)?"},
     "constraint_message": {"en": "Enter a whole number from 0 to 10.", "fr": "Saisissez un nombre entier de 0 à 10.", "es": "Introduzca un número entero del 0 al 10.", "ar": "أدخل عددًا صحيحًا من 0 إلى 10.", "zh": "请输入 0 到 10 之间的整数。", "ru": "Введите целое число от 0 до 10."}},
    {"type": "text", "name": "achievement", "label": {"en": "What was the group's most important achievement?", "fr": "Quelle a été la réalisation la plus importante du groupe ?", "es": "¿Cuál fue el logro más importante del grupo?", "ar": "ما أهم إنجاز حققته المجموعة؟", "zh": "小组最重要的成就是什么？", "ru": "Какое достижение группы было самым важным?"}, "hint": OPEN_HINT},
    {"type": "text", "name": "change", "label": {"en": "What one thing would you change in how the group worked?", "fr": "Quelle chose changeriez-vous dans la façon de travailler du groupe ?", "es": "¿Qué cambiaría en la forma de trabajar del grupo?", "ar": "ما الأمر الذي كنت ستغيّره في طريقة عمل المجموعة؟", "zh": "在小组的工作方式上，您最想改变哪一点？", "ru": "Что бы вы изменили в том, как работала группа?"}, "hint": OPEN_HINT},
    {"type": "end_group", "name": "overall"},
]  # fmt: skip

TRANSLATED_COLUMNS = ("label", "hint", "constraint_message")
PLAIN_COLUMNS = ("required", "relevant", "constraint", "scorecard")


def _heading(base: str, language: str) -> str:
    return f"{base}::{LANGUAGES[language]} ({language})"


def rows() -> dict[str, Any]:
    """The template as XLSForm rows: ``survey``, ``choices`` and ``settings``."""
    survey_columns = ["type", "name"]
    for base in TRANSLATED_COLUMNS:
        survey_columns += [_heading(base, language) for language in LANGUAGES]
    survey_columns += list(PLAIN_COLUMNS)
    survey = []
    for item in SURVEY:
        row = {"type": item["type"], "name": item["name"]}
        for base in TRANSLATED_COLUMNS:
            for language, text in item.get(base, {}).items():
                row[_heading(base, language)] = text
        for column in PLAIN_COLUMNS:
            if item.get(column):
                row[column] = item[column]
        survey.append(row)
    choices_columns = ["list_name", "name", *[_heading("label", lang) for lang in LANGUAGES]]
    choices_columns.append("score")
    choices = []
    for list_name, items in CHOICE_LISTS.items():
        for name, score, labels in items:
            row = {"list_name": list_name, "name": name}
            for language, text in labels.items():
                row[_heading("label", language)] = text
            if score is not None:
                row["score"] = str(score)
            choices.append(row)
    settings = {
        "form_title": TITLE,
        "form_id": FORM_ID,
        "version": VERSION,
        "default_language": f"{LANGUAGES['en']} (en)",
    }
    return {
        "survey": survey,
        "choices": choices,
        "settings": settings,
        "survey_columns": survey_columns,
        "choices_columns": choices_columns,
    }


@cache
def assessment_xlsx() -> bytes:
    """The built-in assessment as an ``.xlsx`` XLSForm (written once per process)."""
    return write_xlsform(**rows())


def assessment_form() -> Form:
    """The built-in assessment read back through the XLSForm reader (as an upload would be)."""
    return read_xlsform(assessment_xlsx())
