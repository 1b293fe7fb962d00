// The alert must be impossible to miss: the latest urgent child (or a transfer to me) on a full
// red bar, with how many more wait behind it.
import { alerts, dropAlert, openConversation } from './state.js';
import { name, t } from './text.js';

export function AlertBanner() {
  const list = alerts.value;
  const a = list[list.length - 1];
  let text = '';
  if (a) {
    const head = a.transfer ? t('console-transferred-to-you', { name: a.transfer.by }) + (a.transfer.note ? ` — «${a.transfer.note}»` : '') : a.repeat ? t('console-repeat-alert') : t('console-alert-text');
    text = `${head} · ${t('console-risk-label')}: ${name('risk', a.risk)} · ${t('console-topic-label')}: ${name('topic', a.topic)}${list.length > 1 ? ` (+${list.length - 1})` : ''}`;
  }
  return (
    <div id="alert" class={`alert ${a ? (a.transfer ? 'transfer' : a.risk) : ''}`} role="alert" hidden={!a} data-id={a?.id}>
      <span class="alert-icon" aria-hidden="true">
        ⚠
      </span>
      <span id="alert-text" class="alert-text">
        {text}
      </span>
      <button id="alert-open" type="button" onClick={() => a && void openConversation(a.id)}>
        {t('console-open')}
      </button>
      <button id="alert-dismiss" type="button" class="ghost" onClick={() => a && dropAlert(a.id)}>
        {t('console-dismiss')}
      </button>
    </div>
  );
}
