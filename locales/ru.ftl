## Всё, что говорит бот по-русски. Ключи одинаковы во всех языках.
## Телефон доверия и экстренный номер вынесены в термины, чтобы менять их в одном месте.

-helpline = 8-800-2000-122
-emergency = 112

## Приветствие и меню
greeting =
    Привет! Я бот детского телефона доверия. Здесь можно рассказать обо всём, что тебя тревожит. Это бесплатно и анонимно: имя называть не нужно.
    Переписка хранится { kept-bot-time }, а разговор с консультантом — { kept-chat-time }, потом удаляется. Её видят только сотрудники телефона доверия.
    О тебе мы никому не рассказываем. Только если чья-то жизнь в опасности, консультант может позвать на помощь.
    Напиши, что случилось, или выбери:
## Сколько хранится переписка: из настроек сервиса ($botHours, $transcriptDays), не из этого файла
kept-bot-time =
    { $botHours ->
        [one] { $botHours } час
        [few] { $botHours } часа
        [many] { $botHours } часов
       *[other] { $botHours } часа
    }
kept-chat-time =
    { $transcriptDays ->
        [one] { $transcriptDays } день
        [few] { $transcriptDays } дня
        [many] { $transcriptDays } дней
       *[other] { $transcriptDays } дня
    }
privacy-details =
    Как мы бережём твою тайну:
    • Имя, адрес и телефон называть не нужно.
    • Переписка с ботом удаляется через { kept-bot-time } после последнего сообщения, разговор с консультантом — через { kept-chat-time }. Пока она хранится, её видят только консультанты и старшие по смене.
    • Мы не рассказываем о тебе ни родителям, ни школе, ни полиции.
    • Одно исключение: если жизнь в опасности — твоя или чья-то ещё, — консультант может позвать на помощь, например скорую.
    • Для отчётов остаются только цифры: сколько было обращений и на какие темы, без твоих слов.
    Можно писать — я читаю.
menu = Чем я могу помочь? Напиши своими словами или выбери:
about =
    Детский телефон доверия — это психологи, которые выслушают и помогут разобраться.
    • Анонимно и бесплатно. Мы не рассказываем о тебе родителям и школе — только если чья-то жизнь в опасности, консультант может позвать на помощь.
    • Телефон { -helpline } — круглосуточно, звонок бесплатный с любого телефона.
    • Здесь, в чате, можно поговорить с живым консультантом.
    • Если жизни угрожает опасность прямо сейчас — звони { -emergency }.
service-hours =
    { $chatHours ->
        [always] Чат с консультантами работает круглосуточно.
       *[other] Часы работы чата с консультантами: { $chatHours }.
    } Телефон доверия { -helpline } работает круглосуточно. Всё бесплатно.
helpline-info = Телефон доверия: { -helpline } (бесплатно, анонимно, круглосуточно). Экстренная помощь: { -emergency }.
offer-counselor = Я могу позвать живого консультанта — это психолог. Консультант прочитает весь разговор и ответит тебе лично. Позвать?
clarify = Я хочу понять тебя правильно. Расскажи чуть подробнее, что происходит? Можно своими словами, как получается.
lang-switched = Хорошо, дальше пишу по-русски.

## Кризис
emergency =
    Если тебе угрожает опасность или вред себе уже причинён — позвони { -emergency } прямо сейчас (бесплатно, даже без денег на счёте).
    Сейчас самое важное — твоя безопасность. Если можешь, скажи взрослому рядом.
    Я уже зову консультанта — ответ придёт сюда совсем скоро. Телефон доверия { -helpline } работает круглосуточно.
emergency-now =
    Если тебе угрожает опасность или вред себе уже причинён — позвони { -emergency } прямо сейчас (бесплатно, даже без денег на счёте).
    Сейчас самое важное — твоя безопасность. Если можешь, скажи взрослому рядом.
    Телефон доверия { -helpline } работает круглосуточно.
crisis-high-closed =
    Спасибо, что рассказываешь об этом. С этим не нужно справляться в одиночку, и то, что ты чувствуешь, важно.
    Позвони на телефон доверия { -helpline } — там ответят прямо сейчас, бесплатно и анонимно, круглосуточно.
    Если станет опасно прямо сейчас — звони { -emergency }.
crisis-high =
    Спасибо, что рассказываешь об этом. С этим не нужно справляться в одиночку, и то, что ты чувствуешь, важно.
    Телефон доверия { -helpline } ответит прямо сейчас — бесплатно и анонимно, круглосуточно.
    Если станет опасно прямо сейчас — звони { -emergency }.
    Я зову живого консультанта — он скоро напишет тебе здесь.
help-now =
    Хорошо, я рядом. Телефон доверия { -helpline } ответит прямо сейчас — бесплатно и анонимно, круглосуточно.
    Если опасно прямо сейчас — звони { -emergency }.
    Я зову живого консультанта — он скоро напишет тебе здесь.
help-now-closed =
    Хорошо, я рядом. Позвони на телефон доверия { -helpline } — там ответят прямо сейчас, бесплатно и анонимно, круглосуточно.
    Если опасно прямо сейчас — звони { -emergency }.
safety-question =
    Спасибо, что рассказываешь. Можно я спрошу прямо, потому что мне не всё равно:
    бывают ли у тебя мысли, что не хочется жить, или мысли причинить себе вред?
safety-answer-no =
    Хорошо, спасибо за ответ. Мне жаль, что тебе сейчас тяжело — давай попробуем разобраться.
    Можно поговорить с консультантом или попробовать что-то, что помогает прямо сейчас.
fallback-error =
    Извини, у меня сейчас технические трудности, но помощь есть всегда:
    телефон доверия { -helpline } (бесплатно, анонимно, круглосуточно), экстренная помощь { -emergency }.

## Очередь и консультант
queued = Ты в очереди к консультанту. Он ответит, как только освободится. Можешь писать сюда всё, что хочешь рассказать, — консультант это прочитает.
queue-position =
    { $position ->
        [1] Перед тобой в очереди никого нет.
       *[other] Твоё место в очереди: { $position }.
    } { $staffed ->
        [no] Сейчас на смене никого нет — консультант ответит, как только подключится.
       *[yes] { $eta ->
            [0] Консультант скоро ответит.
           *[other] Примерное ожидание: { $eta } мин.
        }
    }
queue-left = Готово, ты больше не в очереди. Если захочешь поговорить — просто напиши.
counselor-joined = Консультант на связи. Можно писать.
counselor-left = Консультант отключился, но тебя не бросили: следующий свободный консультант продолжит разговор.
counselor-handover = Тебя передают другому консультанту, он увидит весь разговор — повторять ничего не нужно. Пока ждёшь, можно писать сюда.
conversation-closed = Спасибо за разговор. Береги себя. Если захочешь поговорить снова — пиши в любое время или звони { -helpline }.
no-counselors =
    Сейчас все консультанты заняты или смена закончилась — честно говорю, ответ в чате может задержаться.
    Телефон доверия { -helpline } работает круглосуточно и бесплатно. Можешь оставить сообщение здесь — консультант ответит, как только сможет.
chat-closed =
    Честно скажу: сейчас чат с консультантами закрыт. { $day ->
        [today] Мы снова на связи в чате сегодня с { $time }.
        [tomorrow] Мы снова на связи в чате завтра с { $time }.
        [mon] Мы снова на связи в чате в понедельник с { $time }.
        [tue] Мы снова на связи в чате во вторник с { $time }.
        [wed] Мы снова на связи в чате в среду с { $time }.
        [thu] Мы снова на связи в чате в четверг с { $time }.
        [fri] Мы снова на связи в чате в пятницу с { $time }.
        [sat] Мы снова на связи в чате в субботу с { $time }.
        [sun] Мы снова на связи в чате в воскресенье с { $time }.
       *[other] Когда чат откроется снова, пока неизвестно.
    }
    Телефон доверия { -helpline } работает круглосуточно и бесплатно — можно позвонить прямо сейчас.
    Можешь оставить сообщение здесь: оно уже в очереди, и консультант ответит, когда начнётся смена. { $channel ->
        [webchat] Ответ придёт в эту вкладку, пока она открыта.
       *[other] Ответ придёт сюда, в этот чат.
    }
    Если опасно прямо сейчас — звони { -emergency }.
blocked-answer =
    Этот чат сейчас приостановлен до { $date }.
    Телефон доверия { -helpline } работает круглосуточно — бесплатно и анонимно.
    Если тебе угрожает опасность — звони { -emergency }. Если с тобой случилась беда, напиши об этом — консультант увидит.
media-not-supported = Я пока понимаю только текст. Напиши, пожалуйста, словами — я читаю.
text-truncated = Сообщение очень длинное, сохранилось только его начало. Можно продолжить следующим сообщением.
rate-limited = Ты пишешь очень быстро — я не успеваю. Подожди пару секунд, пожалуйста.

## Слова, которыми отвечают на вопрос да/нет (через запятую)
answer-yes-words = да, ага, угу, есть, бывают, бывает, yes
answer-no-words = нет, неа, не, нету, не бывает, no
answer-unknown-words = не знаю, незнаю, хз, может быть, может, наверное, не уверен, не уверена

## Кнопки
btn-yes = Да
btn-no = Нет
btn-dont-know = Не знаю
btn-leave-queue = Выйти из очереди
btn-counselor = Поговорить с консультантом
btn-help-now = Мне нужна помощь сейчас
btn-selfhelp = Справиться самому
btn-about = О сервисе
btn-privacy = Подробнее: что хранится
btn-menu = Меню
btn-end = Пока всё
btn-breathing = Упражнение на дыхание
btn-grounding = Упражнение «5-4-3-2-1»
btn-better = Стало немного легче
btn-still-bad = Всё ещё плохо
btn-exam-tips = Как готовиться к экзаменам
btn-talk-tips = Как поговорить с родителями
btn-topic-emotions = Грусть, злость, апатия
btn-topic-anxiety = Тревога, паника
btn-topic-school = Школа и экзамены
btn-topic-family = Семья
btn-topic-peers = Друзья, одиночество
btn-topic-bullying = Травля

## Самопомощь
selfhelp-menu = О чём хочешь поговорить? Выбери тему:
selfhelp-distress =
    Похоже, тебе сейчас очень непросто. Это нормально — просить о помощи.
    Консультант может выслушать тебя. А если хочется сначала немного успокоиться — попробуй упражнение на дыхание.
selfhelp-emotions =
    Грусть, злость, пустота — это чувства, и все они имеют право быть. Вот что часто помогает:
    • назови чувство словами: «мне грустно», «я злюсь» — от этого оно становится меньше;
    • сделай что-то простое для тела: вода, прогулка, душ, сон;
    • напиши или расскажи кому-то, кому доверяешь.
    Если это длится долго или очень тяжело — поговори с консультантом.
selfhelp-anxiety =
    Тревога и паника очень неприятны, но они проходят. Паническая атака обычно стихает за 10–20 минут, и она не опасна для жизни.
    Помогает замедлить дыхание и вернуться в «здесь и сейчас».
breathing =
    Давай вместе: вдох через нос на 4 счёта… задержи на 4… медленный выдох ртом на 6.
    Повтори 5 раз. Положи руку на живот и почувствуй, как он поднимается и опускается.
grounding =
    Осмотрись и назови: 5 вещей, которые видишь; 4 — которые можешь потрогать; 3 звука, которые слышишь; 2 запаха; 1 вкус.
    Это помогает мозгу понять, что прямо сейчас ты в безопасности.
feeling-better = Здорово, что стало чуть легче. Если захочешь — возвращайся, я здесь.
selfhelp-school =
    Учёба — это правда нагрузка, и одна оценка не определяет, какой ты человек.
    • Разбей большое задание на маленькие шаги и начни с самого простого.
    • Спроси учителя, что можно исправить, — часто это возможно.
    • Отдых и сон помогают учиться лучше, чем ночь без сна.
exam-tips =
    Про экзамены (ОГЭ, ЕГЭ):
    • занимайся по 40–50 минут с перерывами;
    • решай варианты прошлых лет — так уходит страх неизвестного;
    • в день экзамена: завтрак, вода, дыхание 4-4-6, если накрывает;
    • экзамен можно пересдать — это не конец мира.
selfhelp-family =
    Ссоры в семье бывают у всех, но от этого не легче. Твои чувства важны.
    Иногда помогает поговорить, когда все спокойны, и говорить о себе: «мне обидно, когда…», а не «ты всегда…».
talk-to-parents =
    Как начать разговор с родителями:
    • выбери спокойное время, не во время ссоры;
    • начни с «пожалуйста, выслушай меня до конца»;
    • говори о своих чувствах и о том, чего хочешь;
    • если страшно говорить — можно написать письмо или позвать другого взрослого, которому доверяешь.
selfhelp-peers =
    Когда ссоришься с другом или чувствуешь себя одиноко — это больно. Так бывает у многих, даже если кажется, что только у тебя.
    Попробуй написать человеку первым, без обвинений. Новых людей можно найти в кружках, секциях, онлайн-сообществах по интересам.
selfhelp-love =
    Любовь, расставания, ревность — одни из самых сильных чувств. Больно — это нормально, и это проходит.
    Дай себе время, не закрывайся от друзей, занимайся тем, что тебе нравится.
selfhelp-bullying =
    Травля — это никогда не твоя вина. Никто не заслуживает, чтобы над ним издевались.
    • Расскажи взрослому, которому доверяешь: родителю, учителю, школьному психологу.
    • Сохраняй скриншоты, если травят в сети, и блокируй обидчиков.
    • Держись рядом с теми, кто к тебе добр.
    Консультант поможет придумать, что делать именно в твоей ситуации.
selfhelp-body =
    Тело меняется, и вопросов бывает много — это нормально. Стесняться тут нечего.
    Если беспокоит здоровье, питание или вес, лучше поговорить с врачом или консультантом. Отказ от еды или рвота после еды — повод обратиться за помощью.
selfhelp-substances =
    Хорошо, что ты об этом думаешь. Алкоголь, вейпы и другие вещества особенно вредны для растущего организма.
    Если кто-то давит или уже сложно остановиться — консультант поможет без осуждения, анонимно.
selfhelp-online =
    Что делать, если в сети что-то пошло не так:
    • не переводи деньги и не присылай фото, даже если угрожают;
    • сохрани скриншоты и заблокируй человека;
    • пожалуйся в поддержку соцсети и расскажи взрослому, которому доверяешь.
selfhelp-parent =
    Спасибо, что заботитесь о ребёнке. Консультант телефона доверия поможет разобраться и подскажет, куда обратиться в вашем городе.
    Телефон доверия { -helpline } работает и для родителей — бесплатно и анонимно.

## Готовые ответы консультантов (canned-*)
canned-hello = Здравствуй! Это консультант, твои сообщения передо мной. Я рядом, можешь рассказывать.
canned-thanks = Спасибо, что доверяешь и рассказываешь об этом. Это требует смелости.
canned-safe = Скажи, пожалуйста, ты сейчас в безопасности?
canned-112 = Если тебе угрожает опасность прямо сейчас — позвони { -emergency }. Я остаюсь с тобой здесь.
canned-listening = Я внимательно читаю. Пиши столько, сколько нужно, я не тороплю.
canned-not-alone = С этим не нужно справляться в одиночку. Давай вместе подумаем, что можно сделать.
canned-goodbye = Спасибо за разговор. Если захочешь поговорить ещё — пиши сюда в любое время или звони { -helpline }.

## Перед очередью (два вопроса, можно пропустить; при высоком риске не задаются)
prequeue-age = Пока ждёшь — два коротких вопроса, чтобы консультанту было легче тебя понять. Можно пропустить. Сколько тебе лет?
prequeue-about = Это про тебя или про кого-то другого (друга, брата или сестру)?
prequeue-thanks = Спасибо! Консультант это увидит. Можешь писать сюда, пока ждёшь.
btn-age-under-10 = Меньше 10
btn-age-10-13 = 10–13
btn-age-14-17 = 14–17
btn-age-18-plus = 18 и больше
btn-about-self = Про меня
btn-about-other = Про другого человека
btn-skip = Пропустить

## Ожидание в очереди
waiting-still = Ты всё ещё в очереди, консультант обязательно ответит. Можешь писать сюда всё, что хочешь рассказать.
waiting-breathing =
    Пока ждёшь — давай подышим вместе. Вдох через нос на 4 счёта… задержи на 4… медленный выдох на 6.
    Повтори так 3–4 раза. Я здесь, консультант скоро подключится.
waiting-reassure = Спасибо, что ждёшь. Если станет хуже или страшно — звони { -helpline } (круглосуточно) или { -emergency }.
waiting-offline =
    Сейчас в чате нет консультантов на смене, но твоё сообщение сохранено — консультант ответит здесь, как только сможет.
    Телефон доверия { -helpline } работает круглосуточно и бесплатно. Если опасно прямо сейчас — звони { -emergency }.
counselor-transferred = Тебя передали другому консультанту. Весь ваш разговор у него перед глазами, повторять ничего не нужно.

## Отзыв после разговора: кнопки под прощальными словами (можно не отвечать)
feedback-thanks = Спасибо за ответ! Если захочешь поговорить снова — просто напиши.
btn-feedback-helped = 👍 Разговор помог
btn-feedback-partly = Немного помог
btn-feedback-not-helped = 👎 Не помог

## Telegram
tg-group-leave = Привет! Я разговариваю только один на один, чтобы всё оставалось в тайне, поэтому из группы я выйду. Напиши мне в личные сообщения. Телефон доверия: { -helpline }.
tg-lang-choose = Выбери язык:
lang-name = Русский
tg-cmd-start = Начать разговор
tg-cmd-help = О телефоне доверия
tg-cmd-lang = Сменить язык
tg-cmd-stop = Выйти из очереди или закончить разговор

## Страница веб-чата (шапка, поле ввода, строки состояния)
webchat-title = Детский телефон доверия
webchat-subtitle = анонимно и бесплатно · { -helpline }
webchat-language = Язык
webchat-exit = Выйти быстро ✕
webchat-exit-hint = Быстро закрыть чат и уйти на другой сайт
webchat-log-label = Переписка
webchat-placeholder = Напиши, что случилось…
webchat-message-label = Сообщение
webchat-send = Отправить
webchat-offline = Нет связи, переподключаюсь… Сообщения не потеряются.
webchat-waiting = Ты в очереди к консультанту.
webchat-not-sent = Не отправлено
webchat-retry = Отправить ещё раз

## Безопасность: второй консультант и возвращение в очередь
second-counselor-joined = К разговору подключился ещё один консультант — старший по смене. Можно писать как обычно.
queue-returned = С возвращением! Твоё место в очереди сохранено.

## Журнал действий персонала (видят только супервизоры и администраторы)
audit-line = { $by } — { $what }
audit-line-target = { $by } — { $what }, разговор { $target }
audit-action-open = открытие разговора
audit-action-claim = взятие разговора
audit-action-transfer = передача разговора
audit-action-close = закрытие разговора
audit-action-whisper = подсказка консультанту
audit-action-join = подключение к разговору
audit-action-ack = подтверждение немедленного риска
audit-action-hand = просьба позвать супервизора
audit-action-hand-lowered = супервизор больше не нужен
audit-action-block = блокировка обращений
audit-action-unblock = снятие блокировки
audit-action-login = вход в консоль
audit-action-login-failed = неудачная попытка входа
audit-action-login-refused = вход заблокирован после ошибок
audit-action-password-change = смена пароля
audit-action-password-change-failed = неудачная смена пароля
audit-action-account-create = создание учётной записи
audit-action-account-update = изменение учётной записи
audit-action-triage-correction = исправление оценки сообщения
audit-action-corrections-read = просмотр исправлений оценки
audit-action-content-draft = начат черновик контента
audit-action-content-draft-save = сохранена правка в черновике контента
audit-action-content-draft-delete = удалён черновик контента
audit-action-content-approve = одобрен черновик контента
audit-action-content-publish = опубликована версия контента
audit-action-content-rollback = откат контента к прежней версии
audit-action-export = выгрузка записей об обращениях (CSV)
audit-action-assessment = оценка суицидального риска
audit-action-safety-plan = план безопасности отправлен
audit-action-referral-sign-off = экстренное направление подтверждено супервизором
audit-action-other = действие «{ $action }»

## Contact categories (records/categories.yaml): the close form and the reports
chi-violence = Насилие
chi-violence-bullying_in_school = Травля в школе
chi-violence-bullying_out_of_school = Травля вне школы
chi-violence-cyberbullying = Кибертравля
chi-violence-emotional_abuse = Эмоциональное насилие
chi-violence-neglect = Пренебрежение нуждами ребёнка
chi-violence-physical_abuse = Физическое насилие
chi-violence-sexual_abuse = Сексуальное насилие
chi-violence-online_sexual_abuse = Сексуальное насилие и эксплуатация онлайн
chi-violence-domestic_violence_witnessed = Ребёнок — свидетель домашнего насилия
chi-violence-threats = Угрозы
chi-violence-child_labour = Детский труд
chi-violence-trafficking = Торговля детьми
chi-violence-unspecified = Другое / не уточнено
chi-mental_health = Психическое здоровье
chi-mental_health-anxiety = Тревога, страхи, паника
chi-mental_health-mood = Настроение, грусть, депрессия
chi-mental_health-self_harm = Самоповреждение
chi-mental_health-suicidal_thoughts = Суицидальные мысли
chi-mental_health-suicide_attempt = Попытка суицида
chi-mental_health-eating = Пищевое поведение
chi-mental_health-substance_use = Употребление веществ
chi-mental_health-addictive_behaviour = Зависимое поведение (игры, азартные игры)
chi-mental_health-grief = Горе и утрата
chi-mental_health-self_esteem = Самооценка
chi-mental_health-trauma = Травматический опыт
chi-mental_health-anger = Гнев и поведение
chi-mental_health-sleep = Сон
chi-mental_health-unspecified = Другое / не уточнено
chi-family_relationships = Семейные отношения
chi-family_relationships-parent_child = Отношения с родителями
chi-family_relationships-divorce_separation = Развод, раздельное проживание
chi-family_relationships-siblings = Братья и сёстры
chi-family_relationships-step_family = Отчим, мачеха, новая семья
chi-family_relationships-family_health = Болезнь или зависимость в семье
chi-family_relationships-parenting = Вопросы родителей о воспитании
chi-family_relationships-unspecified = Другое / не уточнено
chi-peer_relationships = Отношения со сверстниками
chi-peer_relationships-friends = Дружба
chi-peer_relationships-loneliness = Одиночество
chi-peer_relationships-romantic = Влюблённость, отношения, расставание
chi-peer_relationships-unspecified = Другое / не уточнено
chi-education = Учёба
chi-education-performance = Успеваемость
chi-education-exams = Экзамены
chi-education-teachers = Отношения с учителями
chi-education-school_refusal = Нежелание ходить в школу, прогулы
chi-education-learning_difficulties = Трудности в обучении
chi-education-unspecified = Другое / не уточнено
chi-physical_health = Физическое здоровье
chi-physical_health-illness = Болезнь
chi-physical_health-puberty = Взросление, половое созревание
chi-physical_health-pregnancy = Беременность
chi-physical_health-sexual_health = Сексуальное здоровье
chi-physical_health-disability = Инвалидность
chi-physical_health-appearance = Внешность и тело
chi-physical_health-unspecified = Другое / не уточнено
chi-sexuality = Сексуальность
chi-sexuality-orientation = Сексуальная ориентация
chi-sexuality-gender_identity = Гендерная идентичность
chi-sexuality-sexual_behaviour = Сексуальное поведение
chi-sexuality-unspecified = Другое / не уточнено
chi-access_to_services = Доступ к услугам
chi-access_to_services-mental_health_services = Психологическая помощь
chi-access_to_services-health_services = Медицинская помощь
chi-access_to_services-social_services = Социальные службы
chi-access_to_services-legal_services = Юридическая помощь
chi-access_to_services-education_services = Образовательные услуги
chi-access_to_services-unspecified = Другое / не уточнено
chi-discrimination = Дискриминация и исключение
chi-discrimination-ethnicity = Национальность, этническое происхождение
chi-discrimination-disability = Инвалидность
chi-discrimination-gender = Пол
chi-discrimination-orientation = Ориентация
chi-discrimination-religion = Религия
chi-discrimination-unspecified = Другое / не уточнено
chi-missing_children = Пропавшие дети
chi-missing_children-runaway = Уход из дома
chi-missing_children-thrown_out = Выгнали из дома
chi-missing_children-lost = Потерялся
chi-missing_children-abducted = Похищение
chi-missing_children-unspecified = Другое / не уточнено
chi-basic_needs = Базовые потребности
chi-basic_needs-food = Еда
chi-basic_needs-housing = Жильё, негде ночевать
chi-basic_needs-money = Деньги
chi-basic_needs-unspecified = Другое / не уточнено
chi-legal = Правовые вопросы
chi-legal-rights = Права ребёнка
chi-legal-police_justice = Полиция, суд
chi-legal-custody = Опека, с кем жить
chi-legal-unspecified = Другое / не уточнено
chi-other = Другое
chi-other-service_info = Вопросы о службе
chi-other-unspecified = Другое / не уточнено
chi-call-silent = Молчание
chi-call-blank = Пустое сообщение
chi-call-joke = Шутка, розыгрыш
chi-call-hang_up = Ушёл сразу
chi-call-wrong_number = Ошибся адресом
chi-call-abusive = Оскорбления
chi-call-testing = Проверка службы
chi-age-under_10 = до 10
chi-age-10_13 = 10–13
chi-age-14_17 = 14–17
chi-age-18_plus = 18+
chi-age-unknown = не указан
chi-gender-female = девочка
chi-gender-male = мальчик
chi-gender-other = другое
chi-gender-unknown = не указан

## Студия контента (web/studio): слова страницы
studio-title = Студия контента
studio-sign-in = Войти
studio-username = Имя пользователя
studio-password = Пароль
studio-forbidden = Студия открыта только редакторам контента и администраторам.
studio-new-draft = Новый черновик
studio-draft-title = Название черновика
studio-item = Что править
studio-save = Сохранить в черновик
studio-saved = Сохранено
studio-problems-none = Ошибок нет
studio-conflict = Этот текст уже изменён (автор изменения: { $by }). Ниже оба варианта: ничего не потеряно.
studio-take-theirs = Взять их текст
studio-keep-mine = Оставить мой текст
studio-merge-hint = Красным — строки только в их тексте, зелёным — только в вашем. Ваш текст остался в редакторе: можно соединить оба и сохранить.
studio-merge-theirs = только в их тексте
studio-merge-mine = только в вашем тексте
studio-try = Что ответит бот?
studio-try-placeholder = Сообщение, как написал бы ребёнок
studio-try-result = Тема: { $topic } · риск: { $risk }
studio-comment = Комментарий: что изменилось и зачем
studio-publish = Опубликовать
studio-published = Опубликована версия { $number }
studio-approval-needed = Это меняет то, что получает ребёнок в кризисе: нужно одобрение другого человека.
studio-gate = Проверить безопасность (обучить и измерить модель, около минуты)
studio-gate-running = Проверка идёт: { $effect }
studio-gate-queued = Проверка в очереди: сначала закончится проверка другого черновика (перед этой: { $number }).
studio-gate-passed = Проверка пройдена: классификатор замечает детей в кризисе не хуже, чем сейчас.
studio-gate-refused = Публикация остановлена: с этой правкой классификатор пропустил бы детей, которых замечает сейчас.
studio-gate-required = Эта правка меняет то, чему учится классификатор: сначала нажмите «Проверить безопасность».
studio-gate-line = { $set }: { $what } { $before } → { $after }
studio-gate-escalation = полнота эскалации
studio-gate-imminent = полнота немедленного риска
studio-gate-missed = Теперь пропущено: «{ $text }» (было: { $before }, стало: { $after })
studio-gate-not-needed = Эта правка не меняет того, чему учится классификатор: проверка не нужна.
studio-override = Причина публикации вопреки проверке (только администратор)
studio-approve = Одобрить
studio-approved = Одобрено
studio-versions = Версии
studio-rollback = Вернуть эту версию
studio-error = Не получилось: { $error }
studio-preview = Предпросмотр черновика (ничего не сохраняется и не уходит консультантам)
studio-preview-start = Начать заново
studio-preview-send = Написать
studio-preview-effect = Здесь бот сделал бы: { $effect }
studio-map = Карта сценариев
studio-map-hint = Шаг — это одно сообщение бота и кнопки под ним. Нажмите на шаг, чтобы открыть его; стрелка ведёт на шаг, куда попадёт ребёнок.
studio-map-open = Открыть шаг
studio-step = Шаг { $what }
studio-step-text = Сообщение шага
studio-step-buttons = Кнопки
studio-step-label = Надпись
studio-step-goes = Куда ведёт
studio-step-to-step = на шаг { $what }
studio-step-add-button = Добавить кнопку
studio-step-up = Выше
studio-step-down = Ниже
studio-step-remove = Убрать
studio-step-save = Сохранить шаг в черновик
studio-step-delete = Удалить шаг
studio-step-in-use = Этот шаг нельзя удалить: на него ведут { $what }. Сначала уберите эти ссылки.
studio-step-used-by = Сюда ведут: { $what }
studio-step-unused = На этот шаг пока ничего не ведёт.
studio-step-new = id нового шага латиницей, например selfhelp_sleep
studio-step-create = Создать шаг
studio-step-need-draft = Сначала создайте или выберите черновик.
studio-used-bot = сам бот
studio-used-step = шаг { $what }
studio-used-intent = намерение { $what }
studio-missing = нет перевода
studio-messages = Тексты бота по языкам
studio-messages-search = Найти текст или id
studio-messages-missing = Без перевода: { $number }
studio-edit = Изменить
studio-action-counselor = позвать консультанта
studio-action-crisis = экстренная помощь
studio-action-menu = главное меню
studio-action-end = попрощаться
studio-action-leave_queue = выйти из очереди
studio-intents = Что пишут дети
studio-intents-search = Найти слова в примерах и фразах (от 2 букв)
studio-intents-stems = Звёздочка * в конце слова во фразах значит «любое окончание»: «поконч* с собой» находит «покончу с собой» и «покончить с собой». Слова между соседними словами фразы допускаются: «не хоч* жить» находит «не хочу больше жить».
studio-intents-found = Найдено намерений: { $number }
studio-intents-example = пример ({ $risk })
studio-intents-phrase = фраза словаря
studio-intents-open = Открыть файл
studio-session-expired = Вход истёк. Ваш текст сохранён в этом браузере — войдите снова, и он будет записан в черновик.
studio-restored = Текст, сохранённый до входа, записан в черновик.

## Safety plan: sent to the child as one message; "мой план" sends it again
safety-plan-title = Твой план безопасности
safety-plan-warning-signs = Когда становится тяжело, я замечаю:
safety-plan-helps = Что мне помогает:
safety-plan-people = С кем я могу связаться:
safety-plan-places = Где мне спокойно и безопасно:
safety-plan-numbers = Телефоны:
safety-plan-always = Детский телефон доверия: 8-800-2000-122 (бесплатно, круглосуточно). Если опасность прямо сейчас — 112.
safety-plan-again = Напиши «мой план», и я пришлю этот план снова.
safety-plan-words = мой план, план, мой план безопасности, план безопасности

## Отчёты для супервизоров (web/reports)
reports-title = Отчёты
reports-sign-in = Войти
reports-username = Имя пользователя
reports-password = Пароль
reports-forbidden = Отчёты открыты только супервизорам и администраторам. Консультант их не видит — обратитесь к супервизору смены.
reports-from = С
reports-to = По
reports-channel = Канал
reports-all-channels = Все каналы
reports-apply = Показать
reports-download-records = Скачать записи (CSV, без текста)
reports-chi-year = Год
reports-download-chi = Скачать годовые данные CHI (CSV)
reports-loading = Загружаем…
reports-error = Не удалось загрузить отчёт: { $error }
reports-empty = За эти дни обращений нет.
reports-none = не указано
reports-totals = Итого за период
reports-total-contacts = Обращений
reports-total-counselled = Дошли до консультанта
reports-total-abandoned = Ушли, не дождавшись
reports-total-non-counselling = Без консультации (тип звонка)
reports-total-high-risk = Высокий и непосредственный риск
reports-by-day = Обращения по дням
reports-by-hour-of-week = Обращения по дням недели и часам
reports-by-channel = По каналам
reports-by-topic = По темам
reports-by-risk = По риску
reports-by-category = По категориям CHI
reports-by-subcategory = По подкатегориям CHI
reports-by-call-type = Типы обращений без консультации
reports-by-outcome = Итог разговора
reports-by-age = По возрасту
reports-by-gender = По полу
reports-wait-by-risk = Время до консультанта по риску (минуты)
reports-abandoned-by-risk = Ушли, не дождавшись: по риску
reports-abandoned-by-wait = Ушли, не дождавшись: по времени ожидания
reports-feedback = Отзывы детей
reports-counselor-load = Нагрузка консультантов по сменам
reports-triage = Точность триажа по исправлениям консультантов
reports-triage-none = Исправлений триажа за эти дни нет.
reports-col-day = День
reports-col-weekday = День недели
reports-col-hour = Час
reports-col-channel = Канал
reports-col-topic = Тема
reports-col-risk = Риск
reports-col-category = Категория
reports-col-subcategory = Подкатегория
reports-col-call-type = Тип обращения
reports-col-outcome = Итог
reports-col-age = Возраст
reports-col-gender = Пол
reports-col-wait = Ожидание
reports-col-answer = Ответ
reports-col-counselor = Консультант
reports-col-contacts = Обращений
reports-col-shifts = Смен
reports-col-chats = Чатов
reports-col-chats-per-shift = Чатов за смену
reports-col-high-risk = Чатов с высоким риском
reports-col-p50 = Медиана, мин
reports-col-p90 = 90-й процентиль, мин
reports-col-figure = Показатель
reports-col-value = Значение
reports-triage-accuracy = Точность (доля разговоров без исправлений)
reports-triage-counselled = Разговоров с консультантом
reports-triage-corrected = Из них с исправленным триажем
reports-triage-corrections = Исправлений
reports-triage-raised = Риск повышен
reports-triage-lowered = Риск понижен
reports-triage-topic = Тема изменена
reports-risk-none = нет
reports-risk-low = низкий
reports-risk-medium = средний
reports-risk-high = высокий
reports-risk-imminent = непосредственный
reports-topic-greeting = приветствие
reports-topic-service_info = о службе
reports-topic-suicide = суицид
reports-topic-self_harm = самоповреждение
reports-topic-violence = насилие
reports-topic-sexual_abuse = сексуальное насилие
reports-topic-online_safety = безопасность в сети
reports-topic-bullying = травля
reports-topic-family = семья
reports-topic-school = школа
reports-topic-peers = сверстники
reports-topic-love = любовь, отношения
reports-topic-emotions = чувства
reports-topic-body_health = тело и здоровье
reports-topic-substances = вещества
reports-topic-runaway = уход из дома
reports-topic-parent = пишет взрослый
reports-topic-other = другое
reports-outcome-supported = поддержка оказана
reports-outcome-referred = направлен в службу
reports-outcome-emergency = экстренные службы
reports-outcome-follow_up = будет продолжение
reports-outcome-child_left = ребёнок ушёл
reports-outcome-not_genuine = не настоящее обращение
reports-outcome-other = другое
reports-outcome-unreachable = не удалось связаться
reports-feedback-helped = помог
reports-feedback-partly = немного помог
reports-feedback-not_helped = не помог
reports-wait-lt1 = меньше минуты
reports-wait-1to5 = 1–5 минут
reports-wait-5to15 = 5–15 минут
reports-wait-15to30 = 15–30 минут
reports-wait-ge30 = 30 минут и больше
reports-day-1 = Пн
reports-day-2 = Вт
reports-day-3 = Ср
reports-day-4 = Чт
reports-day-5 = Пт
reports-day-6 = Сб
reports-day-7 = Вс
