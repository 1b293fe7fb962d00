// The triage's reasons and the stored system lines in a counselor's words. The store keeps codes
// and classifier lines (no words); the console says them in its language, and the raw lines stay
// behind "подробнее".
import { lang, name, type Lang } from './text.js';

type Rule = [RegExp, string | ((...groups: string[]) => string)];

const REASON_WORDS: Partial<Record<Lang, Rule[]>> = {
    ru: [
      [/^phrase: "(.+)" \(in a question about the service\)$/, 'фраза «$1» — в вопросе о сервисе, бот уточнил безопасность'],
      [/^phrase: "(.+)" → (\w+)$/, (_m: string, p: string, r: string) => 'фраза «' + p + '» — признак риска: ' + name('risk', r)],
      [/^cue: (.+) → (\w+)$/, (_m: string, _c: string, r: string) => 'сочетание признаков опасности — ' + name('risk', r) + ' риск'],
      [/^P\(imminent\) ([\d.]+)$/, (_m: string, p: string) => 'модель: вероятность немедленной опасности ' + Math.round(Number(p) * 100) + '%'],
      [/^P\(high or imminent\) ([\d.]+)$/, (_m: string, p: string) => 'модель: вероятность высокого риска ' + Math.round(Number(p) * 100) + '%'],
      [/^split between calm .*$/, 'модель не уверена — бот спросил о безопасности'],
      [/^too unclear .*$/, 'сообщение неясное — бот не повышал риск сам'],
      [/^low confidence .*$/, 'тема неясна — бот переспросил'],
      [/^earlier in conversation: (\w+)$/, (_m: string, r: string) => 'раньше в разговоре: ' + name('risk', r) + ' риск'],
      [/^an everyday closing phrase.*$/, 'обычное прощание — бот уточнил безопасность'],
      [/^answers the safety question: a figure of speech$/, 'ответ на вопрос о безопасности: это было образное выражение'],
      [/^an answer to the safety question.*$/, 'ответ на вопрос о безопасности'],
      [/^an answer to the (\w+) question$/, 'ответ на вопрос бота'],
      [/^model unavailable: lexicon only$/, 'модель недоступна — оценка только по словарю фраз'],
      [/^no word the corpus knows.*$/, 'незнакомые слова — бот переспросил']
    ]
  };

/** The reasons a counselor reads: rules that match, in order; lines no rule knows stay under the toggle. */
export function reasonWords(reasons: string[]): string[] {
  const rules = REASON_WORDS[lang];
  if (!rules) return reasons.filter((r) => !/^(model|topic): /.test(r));
  const out: string[] = [];
  for (const r of reasons) {
    const rule = rules.find(([re]) => re.test(r));
    if (!rule) continue;
    const [re, to] = rule;
    out.push(typeof to === 'string' ? r.replace(re, to) : r.replace(re, (...args: unknown[]) => to(...args.slice(0, -2).map(String))));
  }
  return out;
}

/** System lines are stored as codes (no words in the store): shown in the console's language. */
const SYSTEM_WORDS: Partial<Record<Lang, [RegExp, string][]>> = {
    ru: [[/^claimed by (.+)$/, 'Разговор взял(а): $1'], [/^closed by (.+)$/, 'Разговор завершил(а): $1'], [/^transferred to (.+)$/, 'Передан: $1'],
      [/^returned to queue: (.+)$/, 'Возвращён в очередь: $1'], [/^hand-raised$/, 'Консультант позвал супервизора'], [/^imminent-acknowledged$/, 'Супервизор подтвердил: видит немедленный риск'],
      [/^supervisor-joined$/, 'К разговору подключился супервизор'], [/^queue-abandoned$/, 'Ребёнок ушёл из очереди (не в сети)'], [/^delivery-failed$/, 'Сообщение ребёнку не доставлено']],
    en: [[/^hand-raised$/, 'The counselor asked for a supervisor'], [/^imminent-acknowledged$/, 'A supervisor acknowledged the imminent risk'],
      [/^supervisor-joined$/, 'A supervisor joined'], [/^queue-abandoned$/, 'The child left the queue (offline)'], [/^delivery-failed$/, 'A message to the child was not delivered']]
  };

export function systemText(text: string): string {
  for (const [re, to] of SYSTEM_WORDS[lang] ?? []) if (re.test(text)) return text.replace(re, to);
  return text;
}
