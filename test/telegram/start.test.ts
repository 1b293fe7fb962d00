// Start-up: a refused token stops the app with a clear error; an unreachable Bot API does not stop
// the rest of the service, and the bot connects once Telegram is back.
import { describe, expect, it } from 'vitest';
import { TelegramTokenError } from '../../src/channels/telegram/channel.js';
import { startApp } from '../../src/main.js';
import { BotApiStandIn } from './bot-api-stand-in.js';
import { TOKEN, startHarness } from './harness.js';
import { commandUpdate, newChild } from './updates.js';

describe('telegram start-up', () => {
  it('a token the Bot API refuses fails start-up with a clear error', async () => {
    const api = await BotApiStandIn.start({ token: TOKEN });
    try {
      const start = startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR, PORT: '0', LOG_LEVEL: 'silent', TELEGRAM_BOT_TOKEN: '123:wrong-token', TELEGRAM_API_ROOT: api.url });
      await expect(start).rejects.toBeInstanceOf(TelegramTokenError);
      await expect(start).rejects.toThrow(/TELEGRAM_BOT_TOKEN was refused/);
    } finally {
      await api.close();
    }
  });

  it('with the Bot API down the app still starts (web chat works); the bot connects when it is back', async () => {
    const probe = await BotApiStandIn.start({ token: TOKEN });
    const port = Number(new URL(probe.url).port);
    await probe.close();
    const app = await startApp({ RECORDS_DIR: 'memory://', TRIAGE_MODEL_DIR: process.env.TEST_MODEL_DIR, PORT: '0', LOG_LEVEL: 'silent', ADMIN_PASSWORD: 'telegram-test-password', TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_API_ROOT: `http://127.0.0.1:${port}` });
    let api: BotApiStandIn | undefined;
    try {
      expect((await app.app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
      api = await BotApiStandIn.start({ token: TOKEN, port });
      const child = newChild('en');
      await api.push(commandUpdate(child, 'start'));
      await api.waitFor(() => api!.sentTo(child.chatId).length > 0, 10_000, 'the greeting after reconnecting');
    } finally {
      await app.close();
      await api?.close();
    }
  });

  it('stops cleanly: close() ends polling and leaves no pending calls', async () => {
    const h = await startHarness();
    await h.api.waitFor(() => h.api.callsOf('getUpdates').length > 0, 5000, 'polling');
    await h.close();
    expect(h.app.telegram!.outbox.pending).toBe(0);
  });
});
