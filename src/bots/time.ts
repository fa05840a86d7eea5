import type { BotCommand } from '../core/ports/bot-command.js';

/**
 * `/time=Asia/Tokyo` → `It is 13:05 on Tuesday 1 December 2026 in Asia/Tokyo (GMT+9).`
 * Without a zone: UTC. Handy when a room spans time zones.
 */
export function timeCommand(now: () => Date = () => new Date()): BotCommand {
  return {
    name: 'time',
    usage: '/time=<zone>',
    help: 'The time now in a time zone, such as /time=Europe/Paris (UTC without one).',
    async run(args) {
      const zone = args.trim() || 'UTC';
      let format: Intl.DateTimeFormat;
      try {
        format = new Intl.DateTimeFormat('en-GB', {
          timeZone: zone,
          hour: '2-digit',
          minute: '2-digit',
          weekday: 'long',
          day: 'numeric',
          month: 'long',
          year: 'numeric',
          timeZoneName: 'short',
        });
      } catch {
        return {
          type: 'failed',
          text: `Unknown time zone "${zone}": use a name such as Europe/Paris or America/New_York.`,
        };
      }
      const parts = format.formatToParts(now());
      const get = (type: Intl.DateTimeFormatPartTypes) =>
        parts.find((p) => p.type === type)?.value ?? '';
      const zoneName = format.resolvedOptions().timeZone;
      return {
        type: 'bot',
        text: `It is ${get('hour')}:${get('minute')} on ${get('weekday')} ${get('day')} ${get('month')} ${get('year')} in ${zoneName} (${get('timeZoneName')}).`,
      };
    },
  };
}
