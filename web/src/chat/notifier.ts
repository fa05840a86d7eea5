import { signal } from '@preact/signals';

const PREFERENCE_KEY = 'confab.notifications';

export type NotificationSetting = 'unsupported' | 'denied' | 'off' | 'on';

/**
 * Browser notifications for new messages while the tab is hidden. Off until
 * the user turns them on (the browser asks for permission only after a click).
 */
export class Notifier {
  readonly setting = signal<NotificationSetting>(this.read());

  /** Turns notifications on (asking the browser if need be) or off. */
  async toggle(): Promise<void> {
    if (!('Notification' in window)) return;
    if (this.setting.value === 'on') {
      this.store(false);
      this.setting.value = 'off';
      return;
    }
    const permission =
      Notification.permission === 'default'
        ? await Notification.requestPermission()
        : Notification.permission;
    if (permission === 'granted') this.store(true);
    this.setting.value = this.read();
  }

  /** Shows one notification per room (a newer one replaces it); clicking it opens the room. */
  notify(roomId: string, title: string, body: string, open: () => void): void {
    if (this.setting.value !== 'on' || document.visibilityState !== 'hidden') return;
    try {
      const notification = new Notification(title, { body, tag: `confab-${roomId}` });
      notification.onclick = () => {
        window.focus();
        open();
        notification.close();
      };
    } catch {
      // Some browsers allow notifications only from a service worker: then there are none.
    }
  }

  private read(): NotificationSetting {
    if (!('Notification' in window)) return 'unsupported';
    if (Notification.permission === 'denied') return 'denied';
    if (Notification.permission !== 'granted') return 'off';
    return localStorage.getItem(PREFERENCE_KEY) === 'on' ? 'on' : 'off';
  }

  private store(on: boolean): void {
    try {
      localStorage.setItem(PREFERENCE_KEY, on ? 'on' : 'off');
    } catch {
      // The choice lasts until the tab closes.
    }
  }
}
