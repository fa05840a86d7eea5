/** A bad command line or setting (exit 2). */
export class UsageError extends Error {}

/** An admin task that failed for a reason the operator can act on (exit 1: nothing changed). */
export class AdminError extends Error {}

/** An admin task's change is stored, but the running nodes could not be told (exit 3). */
export class NotToldError extends Error {}
