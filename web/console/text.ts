// The console's words, Russian first and English second. These are the console's own strings (as
// in the first console); the server's words come from locales/ through the API: category labels
// (GET /api/meta?locale=), audit lines in words, canned replies.

export type Lang = 'ru' | 'en';
export const lang: Lang = (navigator.language || 'ru').slice(0, 2) === 'en' ? 'en' : 'ru';

const RU = {
      loginTitle: 'Консоль консультанта', username: 'Имя пользователя', password: 'Пароль', signIn: 'Войти',
      brand: 'Телефон доверия · консоль', available: 'На смене (доступен)', sound: 'Звук', admin: 'Администрирование',
      signOut: 'Выйти', reconnecting: 'Нет связи с сервером, переподключаюсь…', open: 'Открыть', dismiss: 'Скрыть',
      editorNote: 'Ваша роль — редактор контента: консоль консультантов вам недоступна.',
      queue: 'Очередь', queueEmpty: 'Очередь пуста', mine: 'Мои разговоры', live: 'Все живые чаты', staff: 'Консультанты',
      claim: 'Взять разговор', transfer: 'Передать…', closeChat: 'Завершить…', childTyping: 'Ребёнок печатает…',
      canned: 'Готовые ответы…', replyPlaceholder: 'Сообщение ребёнку…', send: 'Отправить',
      notePlaceholder: 'Заметка (видна только сотрудникам)', addNote: 'Добавить заметку',
      accounts: 'Учётные записи', role: 'Роль', state: 'Состояние', create: 'Создать', audit: 'Журнал доступа',
      closeTitle: 'Завершить разговор', category: 'Категория обращения', outcome: 'Итог', closeNote: 'Заметка (необязательно)',
      cancel: 'Отмена', closeSubmit: 'Завершить', transferTitle: 'Передать разговор', transferTo: 'Кому', transferSubmit: 'Передать',
      toQueue: 'В начало очереди', alertText: 'СРОЧНО: ребёнок в опасности', waiting: 'ждёт', min: 'мин', returned: 'вернулся в очередь', flood: 'возможный флуд: много чатов с одного адреса',
      child: 'Ребёнок', bot: 'Бот', note: 'Заметка', system: 'Система', you: 'вы',
      stateQueued: 'Ждёт в очереди', stateMine: 'Разговор ведёте вы', stateOther: 'Разговор ведёт: ', stateClosed: 'Разговор завершён',
      stateBot: 'Разговор с ботом', taken: 'Этот разговор уже взял другой консультант.', online: 'в сети', offline: 'не в сети',
      availableShort: 'доступен', disabled: 'отключена', active: 'активна', disable: 'Отключить', enable: 'Включить',
      resetPassword: 'Новый пароль', newPasswordPrompt: 'Новый пароль (не короче 8 символов):', created: 'Учётная запись создана',
      closed: 'Разговор завершён', transferred: 'Разговор передан', shiftOpen: 'чат работает', shiftClosed: 'вне часов работы',
      age: 'возраст', about: 'о ком', aboutSelf: 'о себе', aboutOther: 'о другом', skip: '—', reasons: 'почему',
      topicLabel: 'тема', riskLabel: 'риск', claimed: 'Разговор ваш', conflict: 'Конфликт',
      board: 'Под наблюдением супервизора', boardEmpty: 'Нет живых чатов', ack: 'Подтвердить: вижу', join: 'Подключиться',
      hand: 'Позвать супервизора', handDown: 'Супервизор больше не нужен', whisperPlaceholder: 'Подсказка консультанту (ребёнок её не увидит)',
      whisperSend: 'Подсказать', whisper: 'Подсказка', unacked: 'немедленный риск не подтверждён', acked: 'подтверждено: ', handUp: 'просит помощи',
      joined: 'подключены: ', supervisorsOnline: 'супервизоров в сети: ', holding: 'ведёт', heavy: 'тяжёлых за смену',
      repeatAlert: 'НЕ ПОДТВЕРЖДЁН немедленный риск', handRaised: 'Консультант просит помощи: ', ackDone: 'Супервизор видит этот разговор: ',
      noSupervisor: 'Сейчас нет супервизора в сети. При угрозе жизни звоните 112 и следуйте инструкции службы.',
      transferNote: 'Для кого и почему (необязательно, увидит только принимающий)', transferredToYou: 'Вам передали разговор от ',
      lostToQueue: 'Пока не было связи, разговор вернулся в очередь. Взять снова?', lostClosed: 'Пока не было связи, разговор завершился.', lostToOther: 'Пока не было связи, разговор перешёл к: ',
      screenerTitle: 'Оценка суицидального риска (обязательна для этого разговора)',
      q_wishDead: 'Хотел(а) умереть или уснуть и не проснуться?', q_thoughts: 'Были мысли покончить с собой?', q_method: 'Думал(а), как это сделать?',
      q_intent: 'Было намерение это сделать?', q_plan: 'Есть план (как, когда)?', q_behaviour: 'Что-то делал(а) для этого, пытался(ась)?',
      q_timeFrame: 'Когда это было в последний раз?', a_yes: 'да', a_no: 'нет', a_unknown: 'не известно',
      tf_now: 'прямо сейчас', tf_today: 'сегодня', tf_this_week: 'на этой неделе', tf_past_month: 'в последний месяц', tf_longer_ago: 'раньше', tf_unknown: 'не известно',
      subcategories: 'Подкатегории', callType: 'Или: нецелевое обращение', chooseCategory: 'Выберите категорию или нецелевое обращение',
      reasonDetails: 'подробнее', childOnline: 'на связи', childOffline: 'не в сети', lastSeen: 'был(а)', ago: 'назад', changePassword: 'Сменить пароль', currentPassword: 'Текущий пароль', newPassword: 'Новый пароль (не короче 8 символов)',
      save: 'Сохранить', passwordChanged: 'Пароль изменён; другие входы с этой учётной записью завершены',
      errWrongLogin: 'Неверное имя пользователя или пароль', errTooMany: 'Слишком много неудачных попыток. Попробуйте снова через несколько минут.',
      errWrongCurrent: 'Текущий пароль неверен', errWeakPassword: 'Новый пароль слишком простой или короткий (не короче 8 символов)',
      wrongTriage: 'Оценка неверна', rightTopic: 'Верная тема', rightRisk: 'Верный риск', saveCorrection: 'Сохранить исправление', corrected: 'Исправлено: ',
      cooldownTitle: 'Тяжёлый разговор позади', cooldownText: 'Сделайте короткую паузу: несколько минут без новых чатов помогают. Можно пропустить.',
      cooldownPause: 'Пауза 5 минут', cooldownSkip: 'Пропустить', cooldownBack: 'Вернуться к работе', cooldownLeft: 'пауза, осталось',
      auditButton: 'Журнал действий', auditBy: 'Кто', auditAction: 'Действие', auditFrom: 'С', auditTo: 'По', auditApply: 'Показать', anyone: 'все', anyAction: 'все действия', auditEmpty: 'Записей нет'
};
export type TextKey = keyof typeof RU;
const EN: Record<TextKey, string> = {
      loginTitle: 'Counselor console', username: 'Username', password: 'Password', signIn: 'Sign in',
      brand: 'Helpline · console', available: 'On shift (available)', sound: 'Sound', admin: 'Administration',
      signOut: 'Sign out', reconnecting: 'No connection to the server, reconnecting…', open: 'Open', dismiss: 'Dismiss',
      editorNote: 'Your role is content editor: the counselor console is not available to you.',
      queue: 'Queue', queueEmpty: 'The queue is empty', mine: 'My conversations', live: 'All live chats', staff: 'Counselors',
      claim: 'Take conversation', transfer: 'Transfer…', closeChat: 'Close…', childTyping: 'The child is typing…',
      canned: 'Canned replies…', replyPlaceholder: 'Message to the child…', send: 'Send',
      notePlaceholder: 'Note (staff only)', addNote: 'Add note',
      accounts: 'Accounts', role: 'Role', state: 'State', create: 'Create', audit: 'Access log',
      closeTitle: 'Close the conversation', category: 'Contact category (CHI)', outcome: 'Outcome', closeNote: 'Note (optional)',
      cancel: 'Cancel', closeSubmit: 'Close', transferTitle: 'Transfer the conversation', transferTo: 'To', transferSubmit: 'Transfer',
      toQueue: 'Head of the queue', alertText: 'URGENT: a child at risk', waiting: 'waiting', min: 'min', returned: 'back in the queue', flood: 'possible flood: many chats from one address',
      child: 'Child', bot: 'Bot', note: 'Note', system: 'System', you: 'you',
      stateQueued: 'Waiting in the queue', stateMine: 'You have this conversation', stateOther: 'With counselor: ', stateClosed: 'Closed',
      stateBot: 'Talking to the bot', taken: 'Another counselor has already taken this conversation.', online: 'online', offline: 'offline',
      availableShort: 'available', disabled: 'disabled', active: 'active', disable: 'Disable', enable: 'Enable',
      resetPassword: 'New password', newPasswordPrompt: 'New password (8 characters or more):', created: 'Account created',
      closed: 'Conversation closed', transferred: 'Conversation transferred', shiftOpen: 'chat open', shiftClosed: 'outside opening hours',
      age: 'age', about: 'about', aboutSelf: 'self', aboutOther: 'someone else', skip: '—', reasons: 'why',
      topicLabel: 'topic', riskLabel: 'risk', claimed: 'The conversation is yours', conflict: 'Conflict',
      board: 'Supervisor board', boardEmpty: 'No live chats', ack: 'Acknowledge: I see it', join: 'Join',
      hand: 'Ask a supervisor', handDown: 'Supervisor no longer needed', whisperPlaceholder: 'Hint to the counselor (the child never sees it)',
      whisperSend: 'Whisper', whisper: 'Hint', unacked: 'imminent risk not acknowledged', acked: 'acknowledged: ', handUp: 'asks for help',
      joined: 'joined: ', supervisorsOnline: 'supervisors online: ', holding: 'holds', heavy: 'heavy this shift',
      repeatAlert: 'UNACKNOWLEDGED imminent risk', handRaised: 'A counselor asks for help: ', ackDone: 'A supervisor sees this chat: ',
      noSupervisor: 'No supervisor is online now. If a life is in danger call 112 and follow the service procedure.',
      transferNote: 'Why (optional, only the receiver sees it)', transferredToYou: 'A chat was passed to you by ',
      lostToQueue: 'While the connection was lost, the chat went back to the queue. Take it again?', lostClosed: 'While the connection was lost, the chat was closed.', lostToOther: 'While the connection was lost, the chat went to: ',
      screenerTitle: 'Suicide risk assessment (required for this chat)',
      q_wishDead: 'Wished to be dead or to sleep and not wake up?', q_thoughts: 'Thoughts of killing themselves?', q_method: 'Thought about how?',
      q_intent: 'Any intention to act?', q_plan: 'A plan (how, when)?', q_behaviour: 'Did anything towards it, or tried?',
      q_timeFrame: 'When was the last time?', a_yes: 'yes', a_no: 'no', a_unknown: 'unknown',
      tf_now: 'right now', tf_today: 'today', tf_this_week: 'this week', tf_past_month: 'in the past month', tf_longer_ago: 'longer ago', tf_unknown: 'unknown',
      subcategories: 'Subcategories', callType: 'Or: not a counselling contact', chooseCategory: 'Choose a category or a non-counselling contact',
      reasonDetails: 'details', childOnline: 'online', childOffline: 'offline', lastSeen: 'seen', ago: 'ago', changePassword: 'Change password', currentPassword: 'Current password', newPassword: 'New password (at least 8 characters)',
      save: 'Save', passwordChanged: 'Password changed; your other sign-ins were ended',
      errWrongLogin: 'Wrong username or password', errTooMany: 'Too many failed attempts. Try again in a few minutes.',
      errWrongCurrent: 'The current password is wrong', errWeakPassword: 'The new password is too short or too simple (at least 8 characters)',
      wrongTriage: 'Triage was wrong', rightTopic: 'Right topic', rightRisk: 'Right risk', saveCorrection: 'Save correction', corrected: 'Corrected: ',
      cooldownTitle: 'A heavy conversation is behind you', cooldownText: 'Take a short pause: a few minutes without new chats helps. You can skip it.',
      cooldownPause: 'Pause 5 minutes', cooldownSkip: 'Skip', cooldownBack: 'Back to work', cooldownLeft: 'pause, left',
      auditButton: 'Audit log', auditBy: 'Who', auditAction: 'Action', auditFrom: 'From', auditTo: 'To', auditApply: 'Show', anyone: 'everyone', anyAction: 'all actions', auditEmpty: 'No entries'
};
const TEXT: Record<Lang, Record<TextKey, string>> = { ru: RU, en: EN };

const NAMES: Record<Lang, Record<string, Record<string, string>>> = {
    ru: {
      risk: { imminent: 'немедленный', high: 'высокий', medium: 'средний', low: 'низкий', none: 'нет' },
      topic: { greeting: 'приветствие', service_info: 'о сервисе', suicide: 'суицид', self_harm: 'самоповреждение', violence: 'насилие',
        sexual_abuse: 'сексуальное насилие', online_safety: 'безопасность в сети', bullying: 'травля', family: 'семья', school: 'школа',
        peers: 'сверстники', love: 'любовь', emotions: 'эмоции', body_health: 'тело и здоровье', substances: 'ПАВ',
        runaway: 'уход из дома', parent: 'родитель', other: 'другое' },
      category: { violence: 'Насилие', mental_health: 'Психическое здоровье', family_relationships: 'Семейные отношения',
        peer_relationships: 'Отношения со сверстниками', education: 'Учёба', physical_health: 'Физическое здоровье',
        sexuality: 'Сексуальность', access_to_services: 'Доступ к услугам', discrimination: 'Дискриминация',
        missing_children: 'Пропавшие дети', other: 'Другое' },
      outcome: { supported: 'Поддержка оказана', referred: 'Направлен(а) в службу', emergency: 'Экстренные службы',
        follow_up: 'Нужен повторный контакт', child_left: 'Ребёнок ушёл', not_genuine: 'Нецелевое обращение', other: 'Другое' },
      age: { under_10: 'до 10', '10_13': '10–13', '14_17': '14–17', '18_plus': '18+', skip: '—' },
      role: { counselor: 'консультант', supervisor: 'супервизор', admin: 'администратор', editor: 'редактор' }
    },
    en: {
      risk: {}, topic: {}, category: {}, outcome: {}, age: { under_10: 'under 10', '10_13': '10–13', '14_17': '14–17', '18_plus': '18+', skip: '—' }, role: {}
    }
  };

export type NameKind = 'risk' | 'topic' | 'category' | 'outcome' | 'age' | 'role' | 'call';

/** The server's labels for categories and call types (GET /api/meta?locale=), set once loaded. */
let labels: Record<string, string> = {};
export function setLabels(next: Record<string, string> | undefined): void {
  labels = next ?? {};
}

export function t(key: TextKey): string {
  return TEXT[lang][key] || TEXT.ru[key] || key;
}

/** A code in words: category labels from the server, the rest from the tables above. */
export function name(kind: NameKind, id: string | undefined | null): string {
  if (id === undefined || id === null) return '—';
  if (kind === 'category' && labels[id]) return labels[id]!;
  if (kind === 'call' && labels[`call:${id}`]) return labels[`call:${id}`]!;
  const table = NAMES[lang][kind] ?? {};
  return table[id] ?? String(id).replace(/_/g, ' ');
}
