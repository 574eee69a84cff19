import { AnalysisError } from "../common/errors.ts";
import { Logger } from "../common/log.ts";
import type { Session } from "../session/session.ts";
import { QueryStore } from "./query-store.ts";
import { UI_HOST_KEY, UI_PORT_KEY, UiServer } from "./ui-server.ts";

const log = new Logger("SessionUi");

/**
 * Starts the web UI for a session: its store listens to the session's queries at once
 * (so no start is missed) and the server listens in the background (`ui.ready`).
 */
export function startSessionUi(session: Session, port: number, host?: string): UiServer {
  const store = new QueryStore((id) => session.streams.get(id));
  session.streams.addListener(store);
  for (const q of session.streams.active) store.adopt(q);
  return new UiServer({ store, port, host, appName: session.appName, conf: () => session.conf.getAll() });
}

/** The UI a session's configuration asks for (`rivulet.ui.port`, `rivulet.ui.host`), or null. */
export function uiFromConf(session: Session): UiServer | null {
  const port = session.conf.get(UI_PORT_KEY);
  if (port === undefined || port.trim() === "" || port.trim().toLowerCase() === "false") return null;
  const n = Number(port);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new AnalysisError(`${UI_PORT_KEY} must be a port number (0 for any free port), not '${port}'`);
  const ui = startSessionUi(session, n, session.conf.get(UI_HOST_KEY));
  ui.ready.then((url) => log.info(`web UI at ${url}`), (e: unknown) => log.warn(`the web UI could not listen on port ${n}: ${(e as Error).message}`));
  return ui;
}
