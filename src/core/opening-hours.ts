// When the counselor chat is staffed. The phone line works 24/7; this is only the chat's shift.
//
// OPENING_HOURS: "24/7", or day ranges with time ranges, separated by ";":
//   "mon-fri 09:00-21:00; sat,sun 10:00-18:00"   "mon-sun 20:00-02:00" (past midnight: belongs to the start day)
// HOLIDAYS: dates (YYYY-MM-DD, in OPENING_TIMEZONE) when the chat is closed all day.

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

interface Span {
  day: number;
  from: number;
  to: number;
}

/** When the chat opens next, in the service's time zone: for telling a child "завтра с 9:00". */
export interface NextOpening {
  at: number;
  /** 'today', 'tomorrow', or the weekday (sun … sat) when it is further away. */
  day: 'today' | 'tomorrow' | (typeof DAYS)[number];
  /** Local time, H:MM ("9:00", as it is said). */
  time: string;
}

export interface OpeningHours {
  readonly always: boolean;
  isOpen(at?: number): boolean;
  /** The next moment the chat opens after `at` (within two weeks), or null (open now counts as not next). Optional for stand-ins. */
  nextOpening?(at?: number): NextOpening | null;
  /** The configured text, for the console. */
  readonly text: string;
}

function minutes(hhmm: string, where: string): number {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`"${where}": times look like 09:00`);
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 24 || min > 59 || (h === 24 && min !== 0)) throw new Error(`"${where}": no such time ${hhmm}`);
  return h * 60 + min;
}

function dayIndex(name: string, where: string): number {
  const i = DAYS.indexOf(name.toLowerCase() as (typeof DAYS)[number]);
  if (i < 0) throw new Error(`"${where}": days are ${DAYS.join(', ')}`);
  return i;
}

function parseDays(spec: string, where: string): number[] {
  const out = new Set<number>();
  for (const part of spec.split(',')) {
    const [a, b] = part.trim().split('-');
    if (!a) throw new Error(`"${where}": missing day`);
    const start = dayIndex(a, where);
    const end = b === undefined ? start : dayIndex(b, where);
    // mon-sun wraps through the week in the usual order.
    for (let d = start; ; d = (d + 1) % 7) {
      out.add(d);
      if (d === end) break;
    }
  }
  return [...out];
}

function parseSpans(text: string): Span[] {
  const spans: Span[] = [];
  for (const rule of text.split(';').map((r) => r.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(.+)$/.exec(rule);
    if (!m) throw new Error(`"${rule}": expected "mon-fri 09:00-21:00"`);
    const days = parseDays(m[1]!, rule);
    for (const range of m[2]!.split(',')) {
      const [a, b] = range.trim().split('-');
      if (!a || !b) throw new Error(`"${rule}": time ranges look like 09:00-21:00`);
      const from = minutes(a, rule);
      const to = minutes(b, rule);
      if (from === to) throw new Error(`"${rule}": empty time range ${range.trim()}`);
      for (const day of days) {
        if (to > from) spans.push({ day, from, to });
        else {
          spans.push({ day, from, to: 24 * 60 });
          spans.push({ day: (day + 1) % 7, from: 0, to });
        }
      }
    }
  }
  if (!spans.length) throw new Error('no opening hours given; use "24/7" for always');
  return spans;
}

function parseHolidays(text: string): Set<string> {
  const set = new Set<string>();
  for (const d of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(d) || Number.isNaN(Date.parse(d))) throw new Error(`holiday "${d}" is not a YYYY-MM-DD date`);
    set.add(d);
  }
  return set;
}

/** Local weekday, minutes after midnight and date in a time zone. */
function localParts(at: number, fmt: Intl.DateTimeFormat): { day: number; minute: number; date: string } {
  const parts: Record<string, string> = {};
  for (const p of fmt.formatToParts(at)) parts[p.type] = p.value;
  const day = dayIndex(parts.weekday ?? '', 'weekday');
  const minute = Number(parts.hour) * 60 + Number(parts.minute);
  return { day, minute, date: `${parts.year}-${parts.month}-${parts.day}` };
}

/** Parses the configuration; throws an Error with a message fit for a config error line. */
export function parseOpeningHours(hours: string, timeZone: string, holidays = ''): OpeningHours {
  let fmt: Intl.DateTimeFormat;
  try {
    fmt = new Intl.DateTimeFormat('en-US', {
      timeZone,
      weekday: 'short',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
  } catch {
    throw new Error(`unknown time zone "${timeZone}"`);
  }
  const off = parseHolidays(holidays);
  const always = /^(24\/7|always)$/i.test(hours.trim());
  const spans = always ? [] : parseSpans(hours);
  const isOpen = (at = Date.now()) => {
    const { day, minute, date } = localParts(at, fmt);
    if (off.has(date)) return false;
    if (always) return true;
    return spans.some((s) => s.day === day && minute >= s.from && minute < s.to);
  };
  return {
    always,
    text: hours,
    isOpen,
    nextOpening(at = Date.now()) {
      // Steps of 15 minutes over two weeks (1,344 looks, about 3 ms here), then back to the minute.
      const STEP = 15 * 60_000;
      const start = Math.floor(at / 60_000) * 60_000;
      for (let t = start + STEP; t <= start + 14 * 24 * 3600_000; t += STEP) {
        // A span shorter than a step (a 10-minute window) starts between two looks: find it by its start.
        let hit = isOpen(t) ? t : null;
        if (hit === null) {
          const here = localParts(t - STEP, fmt);
          for (const s of spans) {
            // Minutes since the local midnight of `here` (a span just after midnight belongs to the next day).
            const from = s.day === here.day ? s.from : s.day === (here.day + 1) % 7 ? s.from + 1440 : -1;
            if (from <= here.minute || from > here.minute + 15) continue;
            const at = t - STEP + (from - here.minute) * 60_000;
            if (at > start && isOpen(at)) hit = at;
          }
        }
        if (hit === null) continue;
        let first = hit;
        while (first - 60_000 > start && isOpen(first - 60_000)) first -= 60_000;
        const here = localParts(start, fmt);
        const there = localParts(first, fmt);
        const days = Math.round((Date.parse(there.date) - Date.parse(here.date)) / 86_400_000);
        const time = `${Math.floor(there.minute / 60)}:${String(there.minute % 60).padStart(2, '0')}`;
        return { at: first, day: days === 0 ? 'today' : days === 1 ? 'tomorrow' : DAYS[there.day]!, time };
      }
      return null;
    },
  };
}

/**
 * OPENING_HOURS said in a language: "mon-fri 09:00-21:00; sat 10:00-14:00" → "пн–пт 9:00–21:00;
 * сб 10:00–14:00" (ru), "Mon–Fri 9:00–21:00; Sat 10:00–14:00" (en). Weekday names come from Intl
 * in the message's locale, so a new language needs no code. "24/7" is 'always'. A text that does
 * not parse is returned as written (config.ts has refused it long before).
 */
export function describeHours(hours: string, locale: string): string {
  const text = hours.trim();
  if (/^(24\/7|always)$/i.test(text)) return 'always';
  let names: string[];
  try {
    // 2025-03-02 was a Sunday: DAYS order.
    const fmt = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
    names = DAYS.map((_, i) => fmt.format(Date.UTC(2025, 2, 2 + i)));
  } catch {
    return text;
  }
  const time = (hhmm: string) => hhmm.replace(/^0(\d)/, '$1');
  const rules: string[] = [];
  for (const rule of text.split(';').map((r) => r.trim()).filter(Boolean)) {
    const m = /^(\S+)\s+(.+)$/.exec(rule);
    if (!m) return text;
    const days = m[1]!.split(',').map((part) =>
      part
        .split('-')
        .map((d) => {
          const i = DAYS.indexOf(d.trim().toLowerCase() as (typeof DAYS)[number]);
          return i < 0 ? d : names[i]!;
        })
        .join('–'),
    );
    const ranges = m[2]!.split(',').map((r) => r.trim().split('-').map(time).join('–'));
    rules.push(`${days.join(', ')} ${ranges.join(', ')}`);
  }
  return rules.join('; ') || text;
}
