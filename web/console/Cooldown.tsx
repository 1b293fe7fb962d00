// After a high or imminent chat closes, a short pause is offered (issue 14's wellbeing item): the
// counselor may take it (off shift for five minutes, back on by itself) or skip it. Never modal:
// another child may need them right away.
import { cooldown, endPause, now, pause } from './state.js';
import { t } from './text.js';

export function Cooldown() {
  const c = cooldown.value;
  if (!c) return <section id="cooldown" class="cooldown" hidden />;
  const left = c.until ? Math.max(0, Math.ceil((c.until - now.value) / 60000)) : 0;
  return (
    <section id="cooldown" class="cooldown" role="status">
      <strong>{t('console-cooldown-title')}</strong>
      <span class="cooldown-text">{c.until ? t('console-cooldown-left', { minutes: left }) : t('console-cooldown-text')}</span>
      {c.until ? (
        <button id="cooldown-back" type="button" class="ghost" onClick={endPause}>
          {t('console-cooldown-back')}
        </button>
      ) : (
        <>
          <button id="cooldown-pause" type="button" onClick={pause}>
            {t('console-cooldown-pause')}
          </button>
          <button id="cooldown-skip" type="button" class="ghost" onClick={endPause}>
            {t('console-cooldown-skip')}
          </button>
        </>
      )}
    </section>
  );
}
