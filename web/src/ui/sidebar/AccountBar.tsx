import { useState } from 'preact/hooks';
import type { Notifier } from '../../chat/notifier.js';
import type { UserView } from '../../protocol.js';
import { signOut } from '../../session/session.js';
import { Avatar } from '../common/Avatar.js';
import { ConfirmDialog } from '../common/ConfirmDialog.js';
import { BellIcon } from '../common/icons.js';

const BELL_TITLES = {
  unsupported: 'This browser has no notifications',
  denied: 'Notifications are blocked in the browser settings',
  off: 'Turn on notifications for new messages',
  on: 'Turn off notifications',
} as const;

/**
 * Who is signed in, the notification switch, and the always-visible
 * sign-out, which asks first for a guest: a guest cannot sign in again.
 */
export function AccountBar({ me, notifier }: { me: UserView; notifier: Notifier }) {
  const setting = notifier.setting.value;
  const [confirming, setConfirming] = useState(false);
  return (
    <footer class="account">
      <Avatar id={me.id} name={me.name} />
      <div class="account-who">
        <span class="account-name" title={me.name}>
          {me.name}
        </span>
        {me.guest && <span class="account-kind">Guest</span>}
      </div>
      <button
        type="button"
        class="icon-button"
        aria-pressed={setting === 'on'}
        aria-label="Notifications"
        title={BELL_TITLES[setting]}
        disabled={setting === 'unsupported' || setting === 'denied'}
        onClick={() => void notifier.toggle()}
      >
        <BellIcon off={setting !== 'on'} />
      </button>
      <button
        type="button"
        class="button button--small"
        onClick={() => (me.guest ? setConfirming(true) : signOut())}
      >
        Sign out
      </button>
      {confirming && (
        <ConfirmDialog
          title="Sign out of this guest account?"
          confirmLabel="Sign out"
          onConfirm={() => signOut()}
          onClose={() => setConfirming(false)}
        >
          <p>
            A guest account has no password: once you sign out, {me.name} and its place in your
            rooms are gone for good. Create an account to keep your name.
          </p>
        </ConfirmDialog>
      )}
    </footer>
  );
}
