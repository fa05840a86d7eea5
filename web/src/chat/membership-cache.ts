/**
 * The public rooms this user has joined, remembered per user in localStorage.
 * The room list does not say which public rooms are the caller's, so the
 * client remembers, and checks each remembered room's member list before
 * following it again (the user may have left it from another device).
 */
export class MembershipCache {
  private readonly key: string;
  private readonly ids: Set<string>;

  constructor(userId: string) {
    this.key = `confab.rooms.${userId}`;
    this.ids = new Set(read(this.key));
  }

  has(roomId: string): boolean {
    return this.ids.has(roomId);
  }

  add(roomId: string): void {
    if (this.ids.has(roomId)) return;
    this.ids.add(roomId);
    this.save();
  }

  delete(roomId: string): void {
    if (this.ids.delete(roomId)) this.save();
  }

  private save(): void {
    try {
      localStorage.setItem(this.key, JSON.stringify([...this.ids]));
    } catch {
      // Without storage the client follows fewer rooms after a reload; nothing breaks.
    }
  }
}

function read(key: string): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(key) ?? '[]');
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
  } catch {
    return [];
  }
}
