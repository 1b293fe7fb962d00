import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config.js';
import { describeHours, parseOpeningHours } from '../../src/core/opening-hours.js';
import { loadContent } from '../../src/content/load.js';
import { REPO } from '../content/fixture.js';

// 2025-03-03 is a Monday. Moscow is UTC+3 all year.
const msk = (iso: string) => Date.parse(`${iso}+03:00`);

describe('opening hours', () => {
  it('says when the chat opens next, in the time zone and in words: today, tomorrow or the weekday (issue 13, item 4)', () => {
    const h = parseOpeningHours('mon-fri 09:05-21:00; sat 10:00-14:00', 'Europe/Moscow', '2025-03-10');
    expect(h.nextOpening!(msk('2025-03-03T07:00:00'))).toEqual({ at: msk('2025-03-03T09:05:00'), day: 'today', time: '9:05' });
    expect(h.nextOpening!(msk('2025-03-06T22:00:00'))).toMatchObject({ day: 'tomorrow', time: '9:05' });
    expect(h.nextOpening!(msk('2025-03-07T21:30:00'))).toMatchObject({ day: 'tomorrow', time: '10:00' });
    // Saturday afternoon: Monday is a holiday, so Tuesday.
    expect(h.nextOpening!(msk('2025-03-08T15:00:00'))).toEqual({ at: msk('2025-03-11T09:05:00'), day: 'tue', time: '9:05' });
  });

  it('finds a window shorter than its 15-minute look, also one just after midnight', () => {
    const short = parseOpeningHours('fri 09:00-09:01', 'Europe/Moscow');
    expect(short.nextOpening!(msk('2025-03-04T12:07:00'))).toEqual({ at: msk('2025-03-07T09:00:00'), day: 'fri', time: '9:00' });
    const night = parseOpeningHours('wed 00:03-00:05', 'Europe/Moscow');
    expect(night.nextOpening!(msk('2025-03-04T23:52:00'))).toEqual({ at: msk('2025-03-05T00:03:00'), day: 'tomorrow', time: '0:03' });
  });

  it('"во сколько вы работаете" says the hours in the child\'s language, never the setting as written', () => {
    const hours = 'mon-fri 09:00-21:00; sat,sun 10:00-14:00';
    expect(describeHours(hours, 'ru')).toBe('пн–пт 9:00–21:00; сб, вс 10:00–14:00');
    expect(describeHours(hours, 'en')).toBe('Mon–Fri 9:00–21:00; Sat, Sun 10:00–14:00');
    const i18n = loadContent(REPO, { botHours: 24, transcriptDays: 30, chatHours: hours }).i18n;
    expect(i18n.t('ru', 'service-hours')).toContain('пн–пт 9:00–21:00');
    expect(i18n.t('en', 'service-hours')).toContain('Mon–Fri 9:00–21:00');
    expect(i18n.t('ru', 'service-hours')).not.toContain('mon-fri');
  });

  it('is always open with 24/7', () => {
    const h = parseOpeningHours('24/7', 'Europe/Moscow');
    expect(h.always).toBe(true);
    expect(h.isOpen(msk('2025-03-03T03:00:00'))).toBe(true);
  });

  it('follows day and time ranges in the configured time zone', () => {
    const h = parseOpeningHours('mon-fri 09:00-21:00; sat,sun 10:00-18:00', 'Europe/Moscow');
    expect(h.isOpen(msk('2025-03-03T08:59:00'))).toBe(false);
    expect(h.isOpen(msk('2025-03-03T09:00:00'))).toBe(true);
    expect(h.isOpen(msk('2025-03-03T20:59:00'))).toBe(true);
    expect(h.isOpen(msk('2025-03-03T21:00:00'))).toBe(false);
    expect(h.isOpen(msk('2025-03-08T09:30:00'))).toBe(false); // Saturday
    expect(h.isOpen(msk('2025-03-08T10:30:00'))).toBe(true);
    // The same instant is 06:30 UTC: the zone matters.
    expect(parseOpeningHours('mon-fri 09:00-21:00', 'UTC').isOpen(msk('2025-03-03T09:30:00'))).toBe(false);
  });

  it('handles shifts past midnight and several ranges a day', () => {
    const night = parseOpeningHours('fri 20:00-02:00', 'Europe/Moscow');
    expect(night.isOpen(msk('2025-03-07T23:00:00'))).toBe(true); // Friday night
    expect(night.isOpen(msk('2025-03-08T01:30:00'))).toBe(true); // early Saturday
    expect(night.isOpen(msk('2025-03-08T02:00:00'))).toBe(false);
    expect(night.isOpen(msk('2025-03-07T01:00:00'))).toBe(false); // Friday early: Thursday had no shift
    const split = parseOpeningHours('mon 09:00-12:00,14:00-18:00', 'Europe/Moscow');
    expect(split.isOpen(msk('2025-03-03T13:00:00'))).toBe(false);
    expect(split.isOpen(msk('2025-03-03T15:00:00'))).toBe(true);
  });

  it('closes on holidays', () => {
    const h = parseOpeningHours('24/7', 'Europe/Moscow', '2025-01-01, 2025-01-07');
    expect(h.isOpen(msk('2025-01-01T12:00:00'))).toBe(false);
    expect(h.isOpen(msk('2025-01-02T12:00:00'))).toBe(true);
    // 2024-12-31 22:00 UTC is already 1 January in Moscow.
    expect(h.isOpen(Date.parse('2024-12-31T22:00:00Z'))).toBe(false);
  });

  it('refuses bad settings with a clear config error', () => {
    expect(() => parseOpeningHours('weekdays 9-5', 'Europe/Moscow')).toThrow(/days are/);
    expect(() => parseOpeningHours('mon 09:00', 'Europe/Moscow')).toThrow(/time ranges/);
    expect(() => parseOpeningHours('mon 25:00-26:00', 'Europe/Moscow')).toThrow(/no such time/);
    expect(() => parseOpeningHours('24/7', 'Mars/Olympus')).toThrow(/time zone/);
    expect(() => parseOpeningHours('24/7', 'UTC', '2025-13-45')).toThrow(/holiday/);
    expect(() => loadConfig({ OPENING_HOURS: 'sometimes' })).toThrow(ConfigError);
    expect(() => loadConfig({ OPENING_HOURS: 'sometimes' })).toThrow(/OPENING_HOURS/);
    expect(() => loadConfig({ COUNSELOR_GRACE_SECONDS: '-1' })).toThrow(/COUNSELOR_GRACE_SECONDS/);
    const cfg = loadConfig({});
    expect(cfg).toMatchObject({ OPENING_HOURS: '24/7', COUNSELOR_GRACE_SECONDS: 60, WAITING_MESSAGE_SECONDS: 180 });
  });
});
