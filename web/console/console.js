// The counselor console. Plain script, no framework. Everything a child or a colleague wrote is
// put on the page with textContent, never as HTML.
(function () {
  'use strict';

  var TEXT = {
    ru: {
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
      wrongTriage: 'Оценка неверна', rightTopic: 'Верная тема', rightRisk: 'Верный риск', saveCorrection: 'Сохранить исправление', corrected: 'Исправлено: '
    },
    en: {
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
      wrongTriage: 'Triage was wrong', rightTopic: 'Right topic', rightRisk: 'Right risk', saveCorrection: 'Save correction', corrected: 'Corrected: '
    }
  };
  var NAMES = {
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

  var lang = (navigator.language || 'ru').slice(0, 2) === 'en' ? 'en' : 'ru';
  function t(key) { return TEXT[lang][key] || TEXT.ru[key] || key; }
  function name(kind, id) {
    if (id === undefined || id === null) return '—';
    var labels = S.meta && S.meta.categoryLabels;
    if (labels && kind === 'category' && labels[id]) return labels[id];
    if (labels && kind === 'call' && labels['call:' + id]) return labels['call:' + id];
    var table = NAMES[lang][kind] || {};
    return table[id] || String(id).replace(/_/g, ' ');
  }
  function $(id) { return document.getElementById(id); }
  /** Creates an element whose text is set with textContent: never parsed as HTML. */
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); }
  function minutesSince(ms) { return Math.max(0, Math.floor((Date.now() - ms) / 60000)); }
  function clock(ms) { var d = new Date(ms); return d.toLocaleTimeString(lang, { hour: '2-digit', minute: '2-digit' }); }

  var S = {
    me: null, csrf: null, ws: null, retry: 0, queue: [], queueTotal: 0, convs: [], staff: [], meta: null,
    current: null, seqs: {}, watching: {}, unread: {}, alerts: [], canned: {}, lastTyping: 0, typingTimer: null
  };

  function applyText() {
    document.documentElement.lang = lang;
    document.querySelectorAll('[data-t]').forEach(function (n) { n.textContent = t(n.getAttribute('data-t')); });
    document.querySelectorAll('[data-tp]').forEach(function (n) { n.placeholder = t(n.getAttribute('data-tp')); });
  }

  // ---- HTTP ----
  function api(method, path, body) {
    var headers = {};
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (method !== 'GET' && S.csrf) headers['x-csrf-token'] = S.csrf;
    return fetch(path, { method: method, headers: headers, body: body === undefined ? undefined : JSON.stringify(body), credentials: 'same-origin' })
      .then(function (res) {
        return res.text().then(function (raw) {
          var data = null;
          try { data = raw ? JSON.parse(raw) : null; } catch (e) { data = null; }
          if (!res.ok) {
            var err = new Error((data && (data.error || data.message)) || res.statusText);
            err.status = res.status;
            err.code = data && data.code;
            if (res.status === 401 && path !== '/api/auth/login') showLogin();
            throw err;
          }
          return data;
        });
      });
  }
  function toast(text) {
    var box = $('toast');
    box.textContent = text;
    box.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(function () { box.hidden = true; }, 3500);
  }
  function notice(text) {
    var n = $('chat-notice');
    n.textContent = text || '';
    n.hidden = !text;
  }

  // ---- sign-in ----
  function showLogin() {
    if (S.ws) { S.ws.onclose = null; S.ws.close(); S.ws = null; }
    S.me = null; S.csrf = null;
    $('app').hidden = true;
    $('login-view').hidden = false;
    $('login-username').focus();
  }
  $('login-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var err = $('login-error');
    err.hidden = true;
    api('POST', '/api/auth/login', { username: $('login-username').value, password: $('login-password').value })
      .then(function (r) { $('login-password').value = ''; start(r.user, r.csrfToken, false); })
      .catch(function (x) { err.textContent = x.status === 401 ? t('errWrongLogin') : x.status === 429 ? t('errTooMany') : x.message; err.hidden = false; });
  });
  $('password-button').addEventListener('click', function () {
    $('password-error').hidden = true;
    $('password-current').value = ''; $('password-next').value = '';
    $('password-dialog').showModal();
  });
  $('password-cancel').addEventListener('click', function () { $('password-dialog').close(); });
  $('password-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var err = $('password-error');
    api('POST', '/api/auth/password', { current: $('password-current').value, next: $('password-next').value }).then(function () {
      $('password-dialog').close();
      toast(t('passwordChanged'));
    }).catch(function (x) {
      err.textContent = x.status === 403 ? t('errWrongCurrent') : x.status === 429 ? t('errTooMany') : x.status === 400 ? t('errWeakPassword') : x.message;
      err.hidden = false;
    });
  });
  $('logout').addEventListener('click', function () {
    api('POST', '/api/auth/logout').catch(function () {}).then(function () { location.reload(); });
  });

  function isStaff(min) {
    var rank = { editor: 0, counselor: 1, supervisor: 2, admin: 3 };
    return S.me && rank[S.me.role] >= rank[min] && !(min !== 'editor' && S.me.role === 'editor');
  }

  function start(user, csrf, available) {
    S.me = user; S.csrf = csrf;
    $('login-view').hidden = true;
    $('app').hidden = false;
    $('me').textContent = user.id + ' · ' + name('role', user.role);
    $('available').checked = !!available;
    // On by default (an imminent child must be heard); each counselor's choice is remembered.
    $('sound').checked = localStorage.getItem('hl-console-sound:' + user.id) !== '0';
    S.alerted = {};
    var counselor = isStaff('counselor');
    $('layout').hidden = !counselor;
    $('role-note').hidden = counselor;
    $('available').parentNode.hidden = !counselor;
    $('admin-button').hidden = user.role !== 'admin';
    $('live-section').hidden = !isStaff('supervisor');
    $('board-section').hidden = !isStaff('supervisor');
    if (isStaff('supervisor')) api('GET', '/api/supervisor/live').then(function (v) { S.board = v; renderBoard(); }).catch(function () {});
    $('staff-section').hidden = !isStaff('supervisor');
    if (!counselor) return;
    api('GET', '/api/meta?locale=' + lang).then(function (m) { S.meta = m; renderShift(); fillCloseForm(); });
    refreshConvs();
    refreshStaff();
    connect();
  }

  // ---- live feed ----
  function connect() {
    var proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    var ws = new WebSocket(proto + '//' + location.host + '/api/events');
    S.ws = ws;
    ws.onopen = function () {
      var again = S.connectedOnce;
      S.connectedOnce = true;
      // The queue frame that follows raises the banner again for every urgent child waiting.
      S.alerted = {};
      S.retry = 0;
      $('connection').hidden = true;
      Object.keys(S.watching).forEach(function (id) { ws.send(JSON.stringify({ type: 'watch', id: id })); });
      // Back after a gap (a restart, a lost network): what was said meanwhile is fetched and merged
      // by sequence number, so every message shows exactly once and in order.
      if (again) {
        refreshConvs();
        if (S.current) {
          var id = S.current.id;
          var wasMine = isMine(S.current);
          api('GET', '/api/conversations/' + encodeURIComponent(id)).then(function (c) {
            if (!S.current || S.current.id !== id) return;
            // Say plainly what changed while the console was away.
            if (wasMine && !isMine(c)) {
              notice(c.state === 'queued' ? t('lostToQueue') : c.state === 'closed' ? t('lostClosed') : t('lostToOther') + (c.counselorId || ''));
            }
            S.current = c;
            c.transcript.forEach(appendEntry);
            renderHead();
          }).catch(function () {});
        }
      }
    };
    ws.onmessage = function (ev) {
      var m;
      try { m = JSON.parse(ev.data); } catch (e) { return; }
      onEvent(m);
    };
    ws.onclose = function (ev) {
      if (S.ws !== ws) return;
      $('connection').hidden = false;
      if (ev.code === 1008 || ev.code === 4401) return showLogin();
      // The server refuses the upgrade with 401 when the session ended: ask who we are before
      // retrying, and keep asking (with backoff) while the server is away.
      var again = function () {
        setTimeout(function () {
          if (S.ws !== ws) return;
          api('GET', '/api/auth/me').then(function () { if (S.ws === ws) connect(); }).catch(function (e) {
            if (e && e.status === 401) return;
            again();
          });
        // 0.25, 0.5, 1, 2, 2 … s: live again within about 2 s of the server answering.
        }, Math.min(250 * Math.pow(2, S.retry++), 2000));
      };
      again();
    };
  }
  function watch(id) {
    S.watching[id] = true;
    if (S.ws && S.ws.readyState === 1) S.ws.send(JSON.stringify({ type: 'watch', id: id }));
  }
  function unwatch(id) {
    delete S.watching[id];
    if (S.ws && S.ws.readyState === 1) S.ws.send(JSON.stringify({ type: 'unwatch', id: id }));
  }

  function onEvent(m) {
    if (m.type === 'queue') {
      S.queue = m.items || []; S.queueTotal = m.total || 0;
      renderQueue();
      syncUrgent();
    } else if (m.type === 'alert') {
      onAlert(m);
    } else if (m.type === 'conversation') {
      onConversation(m);
    } else if (m.type === 'message') {
      if (S.current && S.current.id === m.id) {
        appendEntry(m.entry);
        if (m.entry.from === 'child') $('child-typing').hidden = true;
      } else if (m.entry.from === 'child') {
        S.unread[m.id] = true; renderConvs();
      }
    } else if (m.type === 'typing') {
      if (S.current && S.current.id === m.id && m.from === 'child') {
        $('child-typing').hidden = false;
        clearTimeout(S.typingTimer);
        S.typingTimer = setTimeout(function () { $('child-typing').hidden = true; }, 5000);
      }
    } else if (m.type === 'unwatch') {
      delete S.watching[m.id];
    } else if (m.type === 'transferred') {
      // Not silent: an alert of its own with who and why, a sound, and the chat opened ready when
      // the counselor is not in another chat of their own.
      S.alerts = S.alerts.filter(function (a) { return a.id !== m.id; });
      S.alerts.push({ id: m.id, risk: m.risk, topic: m.topic, transfer: { by: m.by, note: m.note } });
      renderAlert();
      if ($('sound').checked) beep(1);
      if (!S.current || !isMine(S.current)) openConversation(m.id);
      setTimeout(function () {
        S.alerts = S.alerts.filter(function (a) { return !(a.id === m.id && a.transfer); });
        renderAlert();
      }, 20000);
    } else if (m.type === 'live') {
      S.board = m; renderBoard();
    } else if (m.type === 'safety') {
      onSafety(m);
    } else if (m.type === 'no_supervisor') {
      if (S.current && S.current.id === m.id) notice(t('noSupervisor')); else toast(t('noSupervisor'));
    }
  }

  // ---- the supervisor's safety net ----
  function onSafety(m) {
    if (m.kind === 'repeat') {
      onAlert({ id: m.id, risk: 'imminent', topic: (S.board && boardChat(m.id) || {}).topic, repeat: true });
    } else if (m.kind === 'hand' && isStaff('supervisor')) {
      toast(t('handRaised') + (m.by || ''));
      if ($('sound').checked) beep(2);
    } else if (m.kind === 'ack') {
      dropAlert(m.id);
      if (m.counselorId === S.me.id) toast(t('ackDone') + (m.by || ''));
    }
    if (S.current && S.current.id === m.id) {
      api('GET', '/api/conversations/' + encodeURIComponent(m.id)).then(function (c) {
        if (!S.current || S.current.id !== m.id) return;
        S.current.imminent = c.imminent; S.current.hand = c.hand; S.current.joined = c.joined;
        renderHead();
      }).catch(function () {});
    }
  }
  function boardChat(id) {
    var list = (S.board && S.board.chats) || [];
    for (var i = 0; i < list.length; i++) if (list[i].id === id) return list[i];
    return null;
  }
  function renderBoard() {
    var v = S.board;
    if (!v) return;
    var ol = $('board');
    clear(ol);
    (v.chats || []).forEach(function (c) {
      var unacked = c.risk === 'imminent' && !(c.imminent && c.imminent.ackAt);
      var li = el('li', 'board-chat risk-' + c.risk + (unacked ? ' unacked' : '') + (c.hand ? ' hand' : ''));
      li.setAttribute('data-id', c.id);
      var line = el('div', 'line');
      line.appendChild(el('span', 'risk risk-' + c.risk, name('risk', c.risk)));
      line.appendChild(el('strong', null, name('topic', c.topic)));
      if (unacked) line.appendChild(el('span', 'badge unacked-badge', t('unacked')));
      if (c.hand) line.appendChild(el('span', 'badge hand-badge', '✋ ' + t('handUp')));
      li.appendChild(line);
      var facts = [c.channel, c.state === 'queued' ? t('stateQueued') : (c.counselorId || '')];
      if (c.state === 'queued' && c.waitingSince) facts.push(t('waiting') + ' ' + minutesSince(c.waitingSince) + ' ' + t('min'));
      if (c.online === false) facts.push(t('offline'));
      if (c.imminent && c.imminent.ackAt) facts.push(t('acked') + (c.imminent.ackBy || ''));
      if (c.joined && c.joined.length) facts.push(t('joined') + c.joined.join(', '));
      li.appendChild(el('div', 'sub', facts.join(' · ')));
      if (unacked) {
        var ack = el('button', 'board-ack danger', t('ack'));
        ack.type = 'button';
        ack.addEventListener('click', function (ev) { ev.stopPropagation(); ackChat(c.id); });
        li.appendChild(ack);
      }
      li.addEventListener('click', function () { openConversation(c.id); });
      ol.appendChild(li);
    });
    $('board-empty').hidden = (v.chats || []).length > 0;
    $('board-supervisors').textContent = t('supervisorsOnline') + String(v.supervisorsOnline || 0);
    // Who carries what this shift, next to the staff list.
    var ul = $('staff');
    if (v.counselors && v.counselors.length) {
      clear(ul);
      v.counselors.forEach(function (s) {
        ul.appendChild(el('li', null, s.id + ' · ' + name('role', s.role) + ' · ' + (s.online ? t('online') : t('offline')) + (s.available ? ' · ' + t('availableShort') : '') +
          ' · ' + t('holding') + ' ' + s.holding + (v.maxChats ? '/' + v.maxChats : '') + ' · ' + t('heavy') + ' ' + s.heavyChats));
      });
    }
  }
  function ackChat(id) {
    return api('POST', '/api/conversations/' + encodeURIComponent(id) + '/ack').then(function (c) {
      dropAlert(id);
      if (S.current && S.current.id === id) { S.current.imminent = c.imminent; renderHead(); }
    }).catch(function (e) { toast(e.message); });
  }
  $('ack').addEventListener('click', function () { if (S.current) ackChat(S.current.id); });
  $('join').addEventListener('click', function () {
    var c = S.current;
    if (!c) return;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/join').then(function (s) {
      if (S.current && S.current.id === c.id) { S.current.joined = s.joined; renderHead(); }
    }).catch(function (e) { notice(e.message); });
  });
  $('hand').addEventListener('click', function () {
    var c = S.current;
    if (!c) return;
    var raised = !c.hand;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/hand', { raised: raised }).then(function (s) {
      if (S.current && S.current.id === c.id) { S.current.hand = s.hand; renderHead(); }
    }).catch(function (e) { notice(e.message); });
  });
  $('whisper-form').addEventListener('submit', function (ev) {
    ev.preventDefault();
    var c = S.current, box = $('whisper'), text = box.value.trim();
    if (!c || !text) return;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/whisper', { text: text }).then(function (e) {
      box.value = '';
      appendEntry(e);
    }).catch(function (e) { notice(e.message); });
  });

  // ---- alerts: loud for high and imminent ----
  /**
   * Children already waiting at high or imminent raise the banner too: at sign-in and after every
   * reconnect (S.alerted is cleared then), not only when a new message comes in.
   */
  function syncUrgent() {
    S.alerted = S.alerted || {};
    S.queue.forEach(function (q) {
      if ((q.risk === 'high' || q.risk === 'imminent') && !S.alerted[q.id]) {
        S.alerted[q.id] = true;
        if (!S.alerts.some(function (a) { return a.id === q.id; })) onAlert({ id: q.id, risk: q.risk, topic: q.topic, waiting: true });
      }
    });
    renderTitle();
  }
  /** The tab says how many high or imminent children wait, seen from another tab too. */
  function renderTitle() {
    var urgent = S.queue.filter(function (q) { return q.risk === 'high' || q.risk === 'imminent'; }).length;
    var base = S.alerts.length ? '⚠ ' + t('alertText') : t('loginTitle');
    document.title = (urgent ? '(' + urgent + ') ' : '') + base;
  }
  function onAlert(m) {
    if (m.risk !== 'high' && m.risk !== 'imminent') return;
    S.alerts = S.alerts.filter(function (a) { return a.id !== m.id; });
    S.alerts.push(m);
    renderAlert();
    if ($('sound').checked) beep(m.risk === 'imminent' ? 3 : 2);
  }
  function renderAlert() {
    var box = $('alert');
    var a = S.alerts[S.alerts.length - 1];
    if (!a) { box.hidden = true; renderTitle(); return; }
    box.className = 'alert ' + (a.transfer ? 'transfer' : a.risk);
    box.setAttribute('data-id', a.id);
    var head = a.transfer ? t('transferredToYou') + a.transfer.by + (a.transfer.note ? ' — «' + a.transfer.note + '»' : '') : (a.repeat ? t('repeatAlert') : t('alertText'));
    $('alert-text').textContent = head + ' · ' + t('riskLabel') + ': ' + name('risk', a.risk) + ' · ' + t('topicLabel') + ': ' +
      name('topic', a.topic) + (S.alerts.length > 1 ? ' (+' + (S.alerts.length - 1) + ')' : '');
    box.hidden = false;
    renderTitle();
  }
  function dropAlert(id) {
    S.alerts = S.alerts.filter(function (a) { return a.id !== id; });
    renderAlert();
  }
  $('alert-open').addEventListener('click', function () {
    var id = $('alert').getAttribute('data-id');
    if (id) openConversation(id);
  });
  $('alert-dismiss').addEventListener('click', function () {
    var id = $('alert').getAttribute('data-id');
    if (id) dropAlert(id);
  });
  var audio = null;
  function beep(times) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      for (var i = 0; i < times; i++) {
        var osc = audio.createOscillator(), gain = audio.createGain(), at = audio.currentTime + i * 0.35;
        osc.type = 'square'; osc.frequency.value = 880;
        gain.gain.setValueAtTime(0.15, at); gain.gain.setValueAtTime(0, at + 0.2);
        osc.connect(gain); gain.connect(audio.destination);
        osc.start(at); osc.stop(at + 0.25);
      }
    } catch (e) { /* no audio: the banner is enough */ }
  }
  $('sound').addEventListener('change', function () {
    localStorage.setItem('hl-console-sound:' + (S.me ? S.me.id : ''), this.checked ? '1' : '0');
    if (this.checked) beep(1);
  });
  $('available').addEventListener('change', function () {
    var box = this;
    api('POST', '/api/presence', { available: box.checked })
      .then(function () { refreshStaff(); })
      .catch(function (e) { box.checked = !box.checked; toast(e.message); });
  });

  function onConversation(m) {
    // Taken: the risk alert has done its work (a transfer's alert stays until seen).
    if (m.state !== 'queued') {
      S.alerts = S.alerts.filter(function (a) { return a.id !== m.id || a.transfer; });
      renderAlert();
    }
    if (S.current && S.current.id === m.id) {
      S.current.state = m.state; S.current.risk = m.risk; S.current.topic = m.topic; S.current.counselorId = m.counselorId;
      renderHead();
    }
    if (m.counselorId === S.me.id && m.state === 'with_counselor') watch(m.id);
    clearTimeout(onConversation.timer);
    onConversation.timer = setTimeout(refreshConvs, 200);
  }

  // ---- lists ----
  function queueItem(q) {
    var li = el('li', 'risk-' + q.risk);
    li.setAttribute('data-id', q.id);
    if (S.current && S.current.id === q.id) li.classList.add('current');
    var line = el('div', 'line');
    line.appendChild(el('span', 'risk risk-' + q.risk, name('risk', q.risk)));
    line.appendChild(el('strong', null, name('topic', q.topic)));
    li.appendChild(line);
    var facts = [q.channel, q.locale, t('waiting') + ' ' + minutesSince(q.waitingSince) + ' ' + t('min')];
    if (q.ageGroup) facts.push(t('age') + ' ' + name('age', q.ageGroup));
    if (q.about) facts.push(q.about === 'self' ? t('aboutSelf') : q.about === 'other' ? t('aboutOther') : '—');
    if (q.returned) facts.push(t('returned'));
    if (q.flood) { li.classList.add('flood'); line.appendChild(el('span', 'flood-badge', t('flood'))); }
    // Two identical "imminent suicide" cards are told apart by presence and the child's first words.
    if (q.online === true) line.appendChild(el('span', 'presence online', t('childOnline')));
    else if (q.online === false) {
      li.classList.add('offline');
      line.appendChild(el('span', 'presence offline', t('childOffline') + (q.lastSeen ? ' · ' + t('lastSeen') + ' ' + minutesSince(q.lastSeen) + ' ' + t('min') + ' ' + t('ago') : '')));
    }
    li.appendChild(el('div', 'sub', facts.join(' · ')));
    if (q.preview) li.appendChild(el('div', 'preview', '«' + q.preview + '»'));
    li.addEventListener('click', function () { openConversation(q.id); });
    return li;
  }
  function renderQueue() {
    var list = $('queue');
    clear(list);
    S.queue.forEach(function (q) { list.appendChild(queueItem(q)); });
    $('queue-count').textContent = String(S.queueTotal);
    $('queue-empty').hidden = S.queue.length > 0;
  }
  function convItem(c) {
    var li = el('li', 'risk-' + c.risk + (S.unread[c.id] ? ' unread' : ''));
    li.setAttribute('data-id', c.id);
    if (S.current && S.current.id === c.id) li.classList.add('current');
    var line = el('div', 'line');
    line.appendChild(el('span', 'risk risk-' + c.risk, name('risk', c.risk)));
    line.appendChild(el('strong', null, name('topic', c.topic)));
    li.appendChild(line);
    li.appendChild(el('div', 'sub', [c.channel, c.locale, c.counselorId === S.me.id ? t('you') : c.counselorId].join(' · ')));
    li.addEventListener('click', function () { openConversation(c.id); });
    return li;
  }
  function renderConvs() {
    var mine = $('mine'), live = $('live');
    clear(mine); clear(live);
    S.convs.forEach(function (c) {
      if (c.counselorId === S.me.id) mine.appendChild(convItem(c));
      else live.appendChild(convItem(c));
    });
  }
  function refreshConvs() {
    api('GET', '/api/conversations').then(function (list) {
      S.convs = list || [];
      S.convs.forEach(function (c) { if (c.counselorId === S.me.id && !S.watching[c.id]) watch(c.id); });
      renderConvs();
    }).catch(function () {});
  }
  function refreshStaff() {
    return api('GET', '/api/staff').then(function (list) {
      S.staff = list || [];
      var ul = $('staff');
      clear(ul);
      S.staff.forEach(function (s) {
        ul.appendChild(el('li', null, s.id + ' · ' + name('role', s.role) + ' · ' + (s.online ? t('online') : t('offline')) + (s.available ? ' · ' + t('availableShort') : '')));
      });
    }).catch(function () {});
  }
  function renderShift() {
    if (!S.meta) return;
    $('shift').textContent = (S.meta.open ? t('shiftOpen') : t('shiftClosed')) + ' · ' + S.meta.openingHours;
  }
  setInterval(function () { if (S.me && S.queue.length) renderQueue(); }, 15000);

  // ---- the chat ----
  function openConversation(id) {
    notice('');
    $('admin').hidden = true;
    return api('GET', '/api/conversations/' + encodeURIComponent(id)).then(function (c) {
      if (S.current && S.current.id !== id && !isMine(S.current)) unwatch(S.current.id);
      S.current = c;
      S.seqs = {};
      delete S.unread[id];
      $('chat').hidden = false;
      clear($('transcript'));
      c.transcript.forEach(appendEntry);
      $('child-typing').hidden = true;
      renderHead();
      loadCanned(c.locale);
      watch(id);
      renderQueue(); renderConvs();
    }).catch(function (e) { toast(e.message); });
  }
  function isMine(c) { return c && c.state === 'with_counselor' && c.counselorId === S.me.id; }
  function renderHead() {
    var c = S.current;
    if (!c) return;
    var risk = $('chat-risk');
    risk.className = 'risk risk-' + c.risk;
    risk.textContent = name('risk', c.risk);
    $('chat-topic').textContent = name('topic', c.topic);
    var facts = [c.channel, c.locale];
    if (c.ageGroup) facts.push(t('age') + ': ' + name('age', c.ageGroup));
    if (c.about) facts.push(t('about') + ': ' + (c.about === 'self' ? t('aboutSelf') : c.about === 'other' ? t('aboutOther') : '—'));
    $('chat-facts').textContent = facts.join(' · ');
    var mine = isMine(c);
    var supervisor = isStaff('supervisor');
    var state = c.state === 'queued' ? t('stateQueued') : c.state === 'closed' ? t('stateClosed') : c.state === 'bot' ? t('stateBot')
      : mine ? t('stateMine') : t('stateOther') + (c.counselorId || '');
    $('chat-state').textContent = state;
    // Claim stays offered for a chat someone else holds: the server then answers 409, shown below.
    $('claim').hidden = mine || c.state === 'closed' || c.state === 'bot';
    $('transfer').hidden = !(c.state === 'with_counselor' && (mine || supervisor));
    $('close').hidden = !((c.state === 'with_counselor' && (mine || supervisor)) || (c.state === 'queued' && supervisor));
    $('reply').disabled = !mine; $('send').disabled = !mine; $('canned').disabled = !mine;
    var live = c.state === 'with_counselor';
    var joined = (c.joined || []).indexOf(S.me.id) >= 0;
    $('ack').hidden = !(supervisor && c.risk === 'imminent' && !(c.imminent && c.imminent.ackAt) && c.state !== 'closed');
    $('join').hidden = !(supervisor && live && !mine && !joined);
    $('whisper-form').hidden = !(supervisor && live && !mine);
    var raised = !!c.hand;
    $('hand').hidden = !mine;
    $('hand').textContent = raised ? t('handDown') : t('hand');
  }
  function who(e) {
    if (e.from === 'counselor') return (e.by === S.me.id ? t('you') : e.by || '');
    if (e.from === 'note') return t('note') + ' · ' + (e.by || '');
    if (e.from === 'whisper') return t('whisper') + ' · ' + (e.by || '') + (e.to ? ' → ' + (e.to === S.me.id ? t('you') : e.to) : '');
    return t(e.from);
  }
  var TOPIC_IDS = ['greeting', 'service_info', 'suicide', 'self_harm', 'violence', 'sexual_abuse', 'online_safety', 'bullying', 'family', 'school',
    'peers', 'love', 'emotions', 'body_health', 'substances', 'runaway', 'parent', 'other'];
  var RISK_IDS = ['none', 'low', 'medium', 'high', 'imminent'];
  function select(cls, label, ids, kind, current) {
    var s = el('select', cls);
    s.setAttribute('aria-label', label);
    ids.forEach(function (id) {
      var o = el('option', null, name(kind, id));
      o.value = id;
      if (id === current) o.selected = true;
      s.appendChild(o);
    });
    return s;
  }
  /** "Triage was wrong" on a child's message: the right topic and risk go to the editors' list. */
  function correctionControl(convId, e) {
    var box = el('span', 'correction');
    var open = el('button', 'link wrong-triage', t('wrongTriage'));
    open.type = 'button';
    box.appendChild(open);
    open.addEventListener('click', function () {
      open.hidden = true;
      var topic = select('fix-topic', t('rightTopic'), TOPIC_IDS, 'topic', e.triage.topic);
      var risk = select('fix-risk', t('rightRisk'), RISK_IDS, 'risk', e.triage.risk);
      var save = el('button', 'save-correction', t('saveCorrection'));
      save.type = 'button';
      box.appendChild(topic); box.appendChild(risk); box.appendChild(save);
      save.addEventListener('click', function () {
        save.disabled = true;
        api('POST', '/api/conversations/' + encodeURIComponent(convId) + '/messages/' + e.seq + '/correction', { topic: topic.value, risk: risk.value })
          .then(function (c) {
            clear(box);
            box.appendChild(el('span', 'corrected', t('corrected') + name('topic', c.topic) + ' · ' + name('risk', c.risk)));
          })
          .catch(function (err) { save.disabled = false; notice(err.message); });
      });
    });
    return box;
  }
  /** The triage's reasons in a counselor's words (the raw lines stay under "подробнее"). */
  var REASON_WORDS = {
    ru: [
      [/^phrase: "(.+)" \(in a question about the service\)$/, 'фраза «$1» — в вопросе о сервисе, бот уточнил безопасность'],
      [/^phrase: "(.+)" → (\w+)$/, function (m, p, r) { return 'фраза «' + p + '» — признак риска: ' + name('risk', r); }],
      [/^cue: (.+) → (\w+)$/, function (m, c, r) { return 'сочетание признаков опасности — ' + name('risk', r) + ' риск'; }],
      [/^P\(imminent\) ([\d.]+)$/, function (m, p) { return 'модель: вероятность немедленной опасности ' + Math.round(p * 100) + '%'; }],
      [/^P\(high or imminent\) ([\d.]+)$/, function (m, p) { return 'модель: вероятность высокого риска ' + Math.round(p * 100) + '%'; }],
      [/^split between calm .*$/, 'модель не уверена — бот спросил о безопасности'],
      [/^too unclear .*$/, 'сообщение неясное — бот не повышал риск сам'],
      [/^low confidence .*$/, 'тема неясна — бот переспросил'],
      [/^earlier in conversation: (\w+)$/, function (m, r) { return 'раньше в разговоре: ' + name('risk', r) + ' риск'; }],
      [/^an everyday closing phrase.*$/, 'обычное прощание — бот уточнил безопасность'],
      [/^answers the safety question: a figure of speech$/, 'ответ на вопрос о безопасности: это было образное выражение'],
      [/^an answer to the safety question.*$/, 'ответ на вопрос о безопасности'],
      [/^an answer to the (\w+) question$/, 'ответ на вопрос бота'],
      [/^model unavailable: lexicon only$/, 'модель недоступна — оценка только по словарю фраз'],
      [/^no word the corpus knows.*$/, 'незнакомые слова — бот переспросил']
    ]
  };
  function reasonWords(reasons) {
    var rules = REASON_WORDS[lang];
    if (!rules) return reasons.filter(function (r) { return !/^(model|topic): /.test(r); });
    var out = [];
    reasons.forEach(function (r) {
      for (var i = 0; i < rules.length; i++) {
        if (rules[i][0].test(r)) { out.push(r.replace(rules[i][0], rules[i][1])); return; }
      }
    });
    return out;
  }
  /** System lines are stored as codes (no words in the store): shown in the console's language. */
  var SYSTEM_WORDS = {
    ru: [[/^claimed by (.+)$/, 'Разговор взял(а): $1'], [/^closed by (.+)$/, 'Разговор завершил(а): $1'], [/^transferred to (.+)$/, 'Передан: $1'],
      [/^returned to queue: (.+)$/, 'Возвращён в очередь: $1'], [/^hand-raised$/, 'Консультант позвал супервизора'], [/^imminent-acknowledged$/, 'Супервизор подтвердил: видит немедленный риск'],
      [/^supervisor-joined$/, 'К разговору подключился супервизор'], [/^queue-abandoned$/, 'Ребёнок ушёл из очереди (не в сети)'], [/^delivery-failed$/, 'Сообщение ребёнку не доставлено']],
    en: [[/^hand-raised$/, 'The counselor asked for a supervisor'], [/^imminent-acknowledged$/, 'A supervisor acknowledged the imminent risk'],
      [/^supervisor-joined$/, 'A supervisor joined'], [/^queue-abandoned$/, 'The child left the queue (offline)'], [/^delivery-failed$/, 'A message to the child was not delivered']]
  };
  function systemText(text) {
    var rules = SYSTEM_WORDS[lang] || [];
    for (var i = 0; i < rules.length; i++) if (rules[i][0].test(text)) return text.replace(rules[i][0], rules[i][1]);
    return text;
  }
  function appendEntry(e) {
    if (!e || S.seqs[e.seq]) return;
    S.seqs[e.seq] = true;
    var box = $('transcript');
    var div = el('div', 'entry from-' + e.from);
    div.setAttribute('data-seq', String(e.seq));
    div.appendChild(el('div', 'who', who(e) + ' · ' + clock(e.at)));
    div.appendChild(el('div', 'text', e.from === 'system' ? systemText(e.text) : e.text));
    if (e.triage) {
      var tr = el('div', 'triage');
      tr.appendChild(el('span', 'risk risk-' + e.triage.risk, name('risk', e.triage.risk)));
      tr.appendChild(el('span', null, t('topicLabel') + ': ' + name('topic', e.triage.topic) + ' (' + Math.round((e.triage.confidence || 0) * 100) + '%)'));
      if (e.triage.reasons && e.triage.reasons.length) {
        // Counselor words first; the classifier's own lines (scores, labels) behind a toggle.
        var words = reasonWords(e.triage.reasons);
        if (words.length) tr.appendChild(el('span', 'reasons', t('reasons') + ': ' + words.join('; ')));
        var more = el('details', 'reason-details');
        more.appendChild(el('summary', null, t('reasonDetails')));
        more.appendChild(el('span', 'raw-reasons', e.triage.reasons.join('; ')));
        tr.appendChild(more);
      }
      if (e.from === 'child' && S.current) tr.appendChild(correctionControl(S.current.id, e));
      div.appendChild(tr);
    }
    var stick = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
    // In sequence order, also for entries fetched after a reconnect.
    var after = null;
    for (var n = box.lastElementChild; n && Number(n.getAttribute('data-seq')) > e.seq; n = n.previousElementSibling) after = n;
    if (after) box.insertBefore(div, after); else box.appendChild(div);
    if (stick) box.scrollTop = box.scrollHeight;
  }

  $('claim').addEventListener('click', function () {
    var c = S.current;
    if (!c) return;
    notice('');
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/claim').then(function (conv) {
      dropAlert(c.id);
      toast(t('claimed'));
      refreshConvs();
      return openConversation(conv.id);
    }).catch(function (e) {
      // The server's reason, in the counselor's language when it is the usual one.
      notice(e.status === 409 ? t('conflict') + ' (409): ' + (e.code === 'already_taken' ? t('taken') : e.message) : e.message);
    });
  });

  $('reply-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var c = S.current, box = $('reply'), text = box.value.trim();
    if (!c || !text) return;
    box.disabled = true;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/messages', { text: text })
      .then(function (entry) { box.value = ''; appendEntry(entry); })
      .catch(function (x) { notice(x.message); })
      .then(function () { box.disabled = !isMine(S.current); box.focus(); });
  });
  $('reply').addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); $('reply-form').requestSubmit(); }
  });
  $('reply').addEventListener('input', function () {
    var c = S.current, now = Date.now();
    if (!isMine(c) || now - S.lastTyping < 3000) return;
    S.lastTyping = now;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/typing').catch(function () {});
  });
  $('note-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var c = S.current, input = $('note'), text = input.value.trim();
    if (!c || !text) return;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/notes', { text: text })
      .then(function (entry) { input.value = ''; appendEntry(entry); })
      .catch(function (x) { notice(x.message); });
  });

  function loadCanned(locale) {
    var fill = function (list) {
      var sel = $('canned');
      while (sel.options.length > 1) sel.remove(1);
      list.forEach(function (c) {
        var o = el('option', null, c.text.length > 60 ? c.text.slice(0, 57) + '…' : c.text);
        o.value = c.text;
        sel.appendChild(o);
      });
    };
    if (S.canned[locale]) return fill(S.canned[locale]);
    api('GET', '/api/canned?locale=' + encodeURIComponent(locale)).then(function (list) { S.canned[locale] = list; fill(list); }).catch(function () {});
  }
  $('canned').addEventListener('change', function () {
    if (!this.value) return;
    var box = $('reply');
    box.value = box.value ? box.value + ' ' + this.value : this.value;
    this.value = '';
    box.focus();
  });

  // ---- close and transfer ----
  function fillCloseForm() {
    var cat = $('close-category'), out = $('close-outcome'), call = $('close-calltype');
    clear(cat); clear(out); clear(call);
    cat.appendChild(el('option', null, '—')).value = '';
    S.meta.categories.forEach(function (id) { var o = el('option', null, name('category', id)); o.value = id; cat.appendChild(o); });
    S.meta.outcomes.forEach(function (id) { var o = el('option', null, name('outcome', id)); o.value = id; out.appendChild(o); });
    call.appendChild(el('option', null, '—')).value = '';
    ((S.meta.categoryTree && S.meta.categoryTree.callTypes) || []).forEach(function (id) { var o = el('option', null, name('call', id)); o.value = id; call.appendChild(o); });
  }
  /** The chosen category's subcategories as checkboxes (CHI: several may apply). */
  function fillSubs() {
    var list = $('close-subs-list');
    clear(list);
    var id = $('close-category').value;
    var tree = (S.meta && S.meta.categoryTree && S.meta.categoryTree.categories) || [];
    var node = tree.filter(function (c) { return c.id === id; })[0];
    $('close-subs').hidden = !node || !node.subcategories.length;
    if (!node) return;
    node.subcategories.forEach(function (sub) {
      var label = el('label', 'sub');
      var box = el('input');
      box.type = 'checkbox';
      box.value = id + '.' + sub;
      box.addEventListener('change', function () { fillScreener(needsScreener(S.current)); });
      label.appendChild(box);
      label.appendChild(el('span', null, name('category', id + '.' + sub)));
      list.appendChild(label);
    });
  }
  function chosenSubs() {
    return Array.prototype.map.call(document.querySelectorAll('#close-subs-list input:checked'), function (b) { return b.value; });
  }
  $('close-category').addEventListener('change', function () { fillSubs(); fillScreener(needsScreener(S.current)); });
  /** The screener the server requires to close a high or imminent suicide or self-harm chat (in the order counselors ask it). */
  var SCREENER = ['wishDead', 'thoughts', 'method', 'intent', 'plan', 'behaviour'];
  var TIME_FRAMES = ['now', 'today', 'this_week', 'past_month', 'longer_ago', 'unknown'];
  var SCREENED_SUBS = ['mental_health.suicidal_thoughts', 'mental_health.suicide_attempt', 'mental_health.self_harm'];
  function needsScreener(c) {
    if (!c || (c.risk !== 'high' && c.risk !== 'imminent')) return false;
    return c.topic === 'suicide' || c.topic === 'self_harm' || chosenSubs().some(function (s) { return SCREENED_SUBS.indexOf(s) >= 0; });
  }
  function screenerField(key, options, prefix) {
    var label = el('label', 'screener-q');
    label.appendChild(el('span', null, t('q_' + key)));
    var sel = el('select');
    sel.id = 'screener-' + key;
    sel.required = true;
    var blank = el('option', null, '—'); blank.value = ''; sel.appendChild(blank);
    options.forEach(function (o) { var opt = el('option', null, t(prefix + o)); opt.value = o; sel.appendChild(opt); });
    label.appendChild(sel);
    return label;
  }
  function fillScreener(on) {
    var box = $('screener-questions');
    clear(box);
    $('close-screener').hidden = !on;
    if (!on) return;
    SCREENER.forEach(function (k) { box.appendChild(screenerField(k, ['yes', 'no', 'unknown'], 'a_')); });
    box.appendChild(screenerField('timeFrame', TIME_FRAMES, 'tf_'));
  }
  $('close').addEventListener('click', function () {
    $('close-note').value = '';
    $('close-category').value = ''; $('close-calltype').value = '';
    fillSubs();
    fillScreener(needsScreener(S.current));
    $('close-dialog').showModal();
  });
  $('close-cancel').addEventListener('click', function () { $('close-dialog').close(); });
  $('close-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var c = S.current;
    if (!c) return;
    var category = $('close-category').value, callType = $('close-calltype').value;
    if (!category && !callType) { notice(t('chooseCategory')); return; }
    // The CHI form: the category with its subcategories, or a call type for a contact that was not counselling.
    var body = callType ? { callType: callType } : { categories: [category], subcategories: chosenSubs(), outcome: $('close-outcome').value };
    if (!$('close-screener').hidden) {
      // The screener's answers (answers only, never text).
      var assessment = {};
      SCREENER.concat(['timeFrame']).forEach(function (k) { assessment[k] = $('screener-' + k).value; });
      body.assessment = assessment;
    }
    var note = $('close-note').value.trim();
    if (note) body.note = note;
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/close', body).then(function () {
      $('close-dialog').close();
      toast(t('closed'));
      refreshConvs();
      return openConversation(c.id);
    }).catch(function (x) { $('close-dialog').close(); notice(x.message); });
  });
  $('transfer').addEventListener('click', function () {
    refreshStaff().then(function () {
      var sel = $('transfer-to');
      clear(sel);
      var q = el('option', null, t('toQueue')); q.value = 'queue'; sel.appendChild(q);
      S.staff.forEach(function (s) {
        if (s.id === (S.current && S.current.counselorId) || !s.online) return;
        var o = el('option', null, s.id + (s.available ? ' · ' + t('availableShort') : '')); o.value = s.id; sel.appendChild(o);
      });
      $('transfer-dialog').showModal();
    });
  });
  $('transfer-cancel').addEventListener('click', function () { $('transfer-dialog').close(); });
  $('transfer-form').addEventListener('submit', function (e) {
    e.preventDefault();
    var c = S.current;
    if (!c) return;
    var note = $('transfer-note').value.trim();
    api('POST', '/api/conversations/' + encodeURIComponent(c.id) + '/transfer', note ? { to: $('transfer-to').value, note: note } : { to: $('transfer-to').value }).then(function () {
      $('transfer-note').value = '';
      $('transfer-dialog').close();
      toast(t('transferred'));
      refreshConvs();
      return openConversation(c.id).catch(function () { $('chat').hidden = true; });
    }).catch(function (x) { $('transfer-dialog').close(); notice(x.message); });
  });

  // ---- administration ----
  $('admin-button').addEventListener('click', function () {
    $('chat').hidden = true;
    $('admin').hidden = false;
    var roleSel = $('account-role');
    if (!roleSel.options.length) ['counselor', 'supervisor', 'editor', 'admin'].forEach(function (r) { var o = el('option', null, name('role', r)); o.value = r; roleSel.appendChild(o); });
    loadAdmin();
  });
  function adminNotice(text) { var n = $('admin-notice'); n.textContent = text || ''; n.hidden = !text; }
  function loadAdmin() {
    api('GET', '/api/accounts').then(function (list) {
      var body = $('accounts');
      clear(body);
      list.forEach(function (a) {
        var tr = el('tr');
        tr.appendChild(el('td', null, a.id));
        var roleTd = el('td');
        var sel = el('select');
        ['counselor', 'supervisor', 'editor', 'admin'].forEach(function (r) { var o = el('option', null, name('role', r)); o.value = r; sel.appendChild(o); });
        sel.value = a.role;
        sel.addEventListener('change', function () { updateAccount(a.id, { role: sel.value }); });
        roleTd.appendChild(sel);
        tr.appendChild(roleTd);
        tr.appendChild(el('td', null, a.disabled ? t('disabled') : t('active')));
        var actions = el('td');
        var toggle = el('button', 'ghost', a.disabled ? t('enable') : t('disable'));
        toggle.type = 'button';
        toggle.addEventListener('click', function () { updateAccount(a.id, { disabled: !a.disabled }); });
        var reset = el('button', 'ghost', t('resetPassword'));
        reset.type = 'button';
        reset.addEventListener('click', function () {
          var pw = window.prompt(t('newPasswordPrompt'));
          if (pw) updateAccount(a.id, { password: pw });
        });
        actions.appendChild(toggle); actions.appendChild(reset);
        tr.appendChild(actions);
        body.appendChild(tr);
      });
    }).catch(function (e) { adminNotice(e.message); });
    api('GET', '/api/audit?limit=100').then(function (list) {
      var ol = $('audit');
      clear(ol);
      list.forEach(function (a) {
        ol.appendChild(el('li', null, new Date(a.at).toLocaleString(lang) + ' · ' + a.by + ' · ' + a.action + (a.target ? ' · ' + a.target : '') + (a.detail ? ' · ' + a.detail : '')));
      });
    }).catch(function () {});
  }
  function updateAccount(id, change) {
    adminNotice('');
    api('PATCH', '/api/accounts/' + encodeURIComponent(id), change).then(loadAdmin).catch(function (e) { adminNotice(e.message); loadAdmin(); });
  }
  $('account-form').addEventListener('submit', function (e) {
    e.preventDefault();
    adminNotice('');
    api('POST', '/api/accounts', { username: $('account-username').value, password: $('account-password').value, role: $('account-role').value })
      .then(function () { $('account-username').value = ''; $('account-password').value = ''; toast(t('created')); loadAdmin(); refreshStaff(); })
      .catch(function (x) { adminNotice(x.message); });
  });

  // ---- start ----
  applyText();
  api('GET', '/api/auth/me')
    .then(function (r) { start(r.user, r.csrfToken, r.available); })
    .catch(function () { showLogin(); });
})();
