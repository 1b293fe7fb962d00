import { CloudAdapter, ConfigurationBotFrameworkAuthentication } from 'botbuilder';
import { errInfo } from '../../core/errors.js';
import type { Log } from '../../core/ports.js';

export interface BotFrameworkAuth {
  adapter: CloudAdapter;
  /** '' in local mode. */
  appId: string;
  /** Unauthenticated: BOTFRAMEWORK_LOCAL=1 and no app id. */
  local: boolean;
}

/** The Azure bot registration (MICROSOFT_APP_*), or local mode (BOTFRAMEWORK_LOCAL=1). */
export interface BotFrameworkConfig {
  MICROSOFT_APP_ID?: string;
  MICROSOFT_APP_PASSWORD?: string;
  MICROSOFT_APP_TYPE?: 'MultiTenant' | 'SingleTenant' | 'UserAssignedMSI';
  MICROSOFT_APP_TENANT_ID?: string;
  BOTFRAMEWORK_LOCAL: boolean;
}

/**
 * botbuilder's CloudAdapter with credentials from the environment. With an app id, every
 * request must carry a Bot Connector token (validated by botbuilder against Microsoft's
 * OpenID metadata) and replies are sent with a token for that app. Without one, botbuilder
 * turns authentication off: only for the Emulator and tests, hence BOTFRAMEWORK_LOCAL=1.
 */
export function createAdapter(config: BotFrameworkConfig, log: Log): BotFrameworkAuth {
  const appId = config.MICROSOFT_APP_ID ?? '';
  const auth = new ConfigurationBotFrameworkAuthentication(
    appId
      ? {
          MicrosoftAppId: appId,
          MicrosoftAppPassword: config.MICROSOFT_APP_PASSWORD,
          MicrosoftAppType: config.MICROSOFT_APP_TYPE ?? 'MultiTenant',
          MicrosoftAppTenantId: config.MICROSOFT_APP_TENANT_ID,
        }
      : {},
  );
  const adapter = new CloudAdapter(auth);
  adapter.onTurnError = async (context, err) => {
    log.error({ err: errInfo(err), kind: context.activity.type }, 'bot framework turn failed');
  };
  const local = !appId;
  if (local) {
    log.warn(
      'BOTFRAMEWORK_LOCAL=1: POST /api/messages accepts UNAUTHENTICATED Bot Framework activities from this machine (Emulator, tests). ' +
        'Never run a real helpline like this: register the bot in Azure and set MICROSOFT_APP_ID and its credentials.',
    );
  } else {
    if (config.BOTFRAMEWORK_LOCAL) log.warn('BOTFRAMEWORK_LOCAL=1 is ignored: MICROSOFT_APP_ID is set, so every request needs a Bot Connector token');
    log.info({ appType: config.MICROSOFT_APP_TYPE ?? 'MultiTenant' }, 'Bot Framework channel on: POST /api/messages, authenticated');
  }
  return { adapter, appId, local };
}
