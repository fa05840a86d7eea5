/** A command as `GET /api/commands` lists it, for a client's command menu. */
export interface CommandInfo {
  /** Lower case, without the slash: `stock`. */
  name: string;
  /** How to type it: `/stock=<symbol>`. */
  usage: string;
  /** One line saying what it does. */
  help: string;
}
