import { WS_PATH } from "../../shared/protocol/messages.ts";

/**
 * The lab's WebSocket address on the app at `appUrl` (http://host:port): the one place tests and
 * bench build it, from the protocol's own path, so a move of the endpoint moves them all.
 */
export function labSocketUrl(appUrl: string): string {
  return `${appUrl.replace(/^http/, "ws")}${WS_PATH}`;
}
