import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';

describe('configuration', () => {
  it('has sensible defaults with an empty environment', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.HOST).toBe('127.0.0.1');
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.TELEGRAM_API_ROOT).toBe('https://api.telegram.org');
    expect(c.TRIAGE_MODEL_DIR).toBe('models/triage');
    expect(c.ADMIN_USERNAME).toBe('admin');
    expect(c.LOG_LEVEL).toBe('info');
  });

  it('stops on a bad value with one line naming the variable', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/^invalid PORT: /);
    expect(() => loadConfig({ REDIS_URL: 'localhost:6379' })).toThrow('invalid REDIS_URL: must start with redis:// or rediss://');
    expect(() => loadConfig({ LOG_LEVEL: 'loud' })).toThrow(/^invalid LOG_LEVEL/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: 'nope' })).toThrow(/^invalid TELEGRAM_BOT_TOKEN/);
    expect(() => loadConfig({ TELEGRAM_BOT_TOKEN: '1:a', TELEGRAM_WEBHOOK_URL: 'https://x.example/telegram/webhook' })).toThrow(
      'invalid TELEGRAM_WEBHOOK_SECRET: required when TELEGRAM_WEBHOOK_URL is set',
    );
    try {
      loadConfig({ PORT: '-1' });
    } catch (e) {
      expect((e as Error).message.split('\n')).toHaveLength(1);
    }
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ REDIS_URL: '', PORT: '' }).PORT).toBe(3000);
  });
});
