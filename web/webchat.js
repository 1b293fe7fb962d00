// The child's web chat. Plain script, no framework: it must load fast on an old phone.
(function () {
  'use strict';
  var UI = {
    ru: { title: 'Детский телефон доверия', subtitle: 'анонимно и бесплатно · 8-800-2000-122', exit: 'Выйти быстро ✕',
      placeholder: 'Напиши, что случилось…', send: 'Отправить', offline: 'Нет связи, переподключаюсь… Сообщения не потеряются.',
      queue: 'Место в очереди: ', eta: ', примерно ', min: ' мин' },
    en: { title: "Children's helpline", subtitle: 'anonymous and free · 8-800-2000-122', exit: 'Quick exit ✕',
      placeholder: 'Tell me what happened…', send: 'Send', offline: 'No connection, reconnecting… Your messages are kept.',
      queue: 'Place in queue: ', eta: ', about ', min: ' min' }
  };
  var EXIT_URL = 'https://ya.ru/';
  var log = document.getElementById('log');
  var buttons = document.getElementById('buttons');
  var typing = document.getElementById('typing');
  var statusBox = document.getElementById('status');
  var form = document.getElementById('form');
  var input = document.getElementById('text');
  var langSel = document.getElementById('lang');
  var lang = sessionStorage.getItem('hl-lang') || ((navigator.language || 'ru').slice(0, 2) === 'en' ? 'en' : 'ru');
  var session = sessionStorage.getItem('hl-session');
  var pending = JSON.parse(sessionStorage.getItem('hl-pending') || '[]'); // frames not yet acknowledged
  var ws = null, retry = 0, typingTimer = null, lastTyping = 0;

  function t(key) { return (UI[lang] || UI.ru)[key]; }
  function applyLang() {
    document.documentElement.lang = lang;
    langSel.value = lang;
    document.querySelectorAll('[data-i18n]').forEach(function (el) { el.textContent = t(el.getAttribute('data-i18n')); });
    document.querySelectorAll('[data-i18n-placeholder]').forEach(function (el) { el.placeholder = t(el.getAttribute('data-i18n-placeholder')); });
  }
  function savePending() { sessionStorage.setItem('hl-pending', JSON.stringify(pending)); }
  function scroll() { log.scrollTop = log.scrollHeight; }
  // textContent only: nothing a person types is ever interpreted as HTML.
  function bubble(from, text, id) {
    var div = document.createElement('div');
    div.className = 'msg ' + from + (id ? ' pending' : '');
    if (id) div.setAttribute('data-id', id);
    div.textContent = text;
    log.appendChild(div);
    scroll();
  }
  function showButtons(list) {
    buttons.textContent = '';
    (list || []).forEach(function (b) {
      var btn = document.createElement('button');
      btn.type = 'button';
      btn.textContent = b.label;
      btn.addEventListener('click', function () {
        buttons.textContent = '';
        bubble('child', b.label);
        sendFrame({ type: 'button', value: b.value });
      });
      buttons.appendChild(btn);
    });
  }
  function newId() { return Date.now().toString(36) + Math.random().toString(36).slice(2, 8); }
  function sendFrame(frame) {
    frame.id = newId();
    pending.push(frame);
    savePending();
    if (ws && ws.readyState === 1) ws.send(JSON.stringify(frame));
    return frame.id;
  }
  var resendTimer = null, resendDelay = 1000, historySeen = false;
  function resendLater() {
    if (resendTimer) return;
    resendTimer = setTimeout(function () {
      resendTimer = null;
      if (ws && ws.readyState === 1) pending.forEach(function (f) { ws.send(JSON.stringify(f)); });
    }, resendDelay);
    resendDelay = Math.min(resendDelay * 2, 15000);
  }
  function connect() {
    var proto = location.protocol === 'https:' ? 'wss:' : 'ws:';
    var q = '?lang=' + encodeURIComponent(lang) + (session ? '&session=' + encodeURIComponent(session) : '');
    ws = new WebSocket(proto + '//' + location.host + '/webchat/ws' + q);
    ws.onopen = function () {
      historySeen = false;
      retry = 0;
      statusBox.hidden = true;
      pending.forEach(function (f) { ws.send(JSON.stringify(f)); });
    };
    ws.onmessage = function (ev) {
      var m; try { m = JSON.parse(ev.data); } catch (e) { return; }
      if (m.type === 'session') {
        session = m.id; sessionStorage.setItem('hl-session', m.id);
      } else if (m.type === 'history') {
        // The transcript is the truth after every (re)connect: what was said while this page was
        // away appears, and nothing twice. What is not yet acknowledged stays, marked as pending.
        historySeen = true;
        while (log.firstChild) log.removeChild(log.firstChild);
        m.messages.forEach(function (h) { bubble(h.from, h.text); });
        pending.forEach(function (f) { if (f.type === 'message') bubble('child', f.text, f.id); });
      } else if (m.type === 'message') {
        typing.hidden = true;
        // A counselor is talking: the place in the queue no longer applies.
        if (m.from === 'counselor') statusBox.hidden = true;
        bubble(m.from === 'counselor' ? 'counselor' : 'bot', m.text);
        showButtons(m.buttons);
      } else if (m.type === 'typing') {
        typing.hidden = false; clearTimeout(typingTimer);
        typingTimer = setTimeout(function () { typing.hidden = true; }, 4000);
      } else if (m.type === 'queue') {
        statusBox.hidden = false;
        statusBox.textContent = t('queue') + m.position + (m.etaMinutes ? t('eta') + m.etaMinutes + t('min') : '');
      } else if (m.type === 'ack') {
        resendDelay = 1000;
        pending = pending.filter(function (f) { return f.id !== m.id; }); savePending();
        var el = log.querySelector('[data-id="' + m.id + '"]');
        // Stored before the gap (its ack was lost): the history just shown has it already.
        if (el && m.duplicate && historySeen) el.parentNode.removeChild(el);
        else if (el) el.classList.remove('pending');
      } else if (m.type === 'error' && m.id && m.retry) {
        // Not stored (the service is down): it stays pending and goes again until acknowledged.
        resendLater();
      } else if (m.type === 'error' && m.id) {
        pending = pending.filter(function (f) { return f.id !== m.id; }); savePending();
      }
    };
    ws.onclose = function () {
      statusBox.hidden = false; statusBox.textContent = t('offline');
      setTimeout(connect, Math.min(1000 * Math.pow(2, retry++), 15000));
    };
  }
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    var text = input.value.trim();
    if (!text) return;
    input.value = '';
    var id = sendFrame({ type: 'message', text: text });
    bubble('child', text, id);
  });
  input.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
  });
  input.addEventListener('input', function () {
    var now = Date.now();
    if (ws && ws.readyState === 1 && now - lastTyping > 3000) { lastTyping = now; ws.send('{"type":"typing"}'); }
  });
  langSel.addEventListener('change', function () {
    lang = langSel.value; sessionStorage.setItem('hl-lang', lang); applyLang();
    sendFrame({ type: 'button', value: 'lang:' + lang });
  });
  // Quick exit: wipe what is on screen and in this tab's storage, and leave without a history entry.
  document.getElementById('exit').addEventListener('click', function () {
    try { if (ws) { ws.onclose = null; ws.close(); } } catch (e) { /* leaving anyway */ }
    sessionStorage.clear();
    document.body.textContent = '';
    location.replace(EXIT_URL);
  });
  applyLang();
  connect();
})();
