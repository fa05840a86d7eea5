import { signal } from '@preact/signals';
import type { UserView } from '../protocol.js';

/** How long a "typing" signal lasts without another one; the sender repeats it every few seconds. */
export const TYPING_SHOWN_MS = 6_000;
/** How often the composer repeats "I am typing" while keys are pressed. */
export const TYPING_REPEAT_MS = 3_000;

/** Who is typing in one room, each until their signal runs out or their message arrives. */
export class TypingUsers {
  readonly users = signal<readonly UserView[]>([]);
  private readonly timers = new Map<string, ReturnType<typeof setTimeout>>();

  saw(user: UserView): void {
    clearTimeout(this.timers.get(user.id));
    this.timers.set(
      user.id,
      setTimeout(() => this.stopped(user.id), TYPING_SHOWN_MS),
    );
    if (!this.users.value.some((u) => u.id === user.id)) {
      this.users.value = [...this.users.value, user];
    }
  }

  stopped(userId: string): void {
    clearTimeout(this.timers.get(userId));
    this.timers.delete(userId);
    if (this.users.value.some((u) => u.id === userId)) {
      this.users.value = this.users.value.filter((u) => u.id !== userId);
    }
  }

  clear(): void {
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    this.users.value = [];
  }
}
