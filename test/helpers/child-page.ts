import { chromium, type Browser, type Page } from 'playwright-core';

/** Debian's Chromium, headless, as every browser test here drives it. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

export const PHONES = { small: { width: 360, height: 640 }, tall: { width: 390, height: 844 } } as const;

/** A child's phone-sized tab on the web chat, in a fresh browser context (its own sessionStorage). */
export async function childPage(browser: Browser, url: string, opts: { locale?: string; viewport?: { width: number; height: number } } = {}): Promise<Page> {
  const ctx = await browser.newContext({ locale: opts.locale ?? 'ru-RU', viewport: opts.viewport ?? PHONES.tall, hasTouch: true, isMobile: true });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(url);
  return page;
}

/** Types and sends a message as the child would. */
export async function say(page: Page, text: string): Promise<void> {
  await page.fill('#text', text);
  await page.press('#text', 'Enter');
}

/** The texts of the bubbles of one kind (.msg.bot, .msg.child, .msg.counselor), in order. */
export const bubbles = (page: Page, kind: 'bot' | 'child' | 'counselor') =>
  page.$$eval(`#log .msg.${kind} .text`, (els) => els.map((e) => e.textContent ?? ''));
