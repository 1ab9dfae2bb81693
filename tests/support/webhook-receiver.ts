import { createServer, type IncomingHttpHeaders } from "node:http";
import type { AddressInfo } from "node:net";

/** One request the receiver got. */
export interface ReceivedHook {
  headers: IncomingHttpHeaders;
  body: string;
}

/** A real HTTP endpoint for webhooks on a free local port. */
export interface WebhookReceiver {
  /** `http://127.0.0.1:<port><path>` */
  url: string;
  /** Every request so far, in arrival order. */
  hooks: ReceivedHook[];
  /** The status the next requests are answered with (204 until changed). */
  status: number;
  close(): Promise<void>;
}

/** Starts a webhook receiver that records every request and answers `receiver.status`. */
export async function startWebhookReceiver(path = "/hooks"): Promise<WebhookReceiver> {
  const hooks: ReceivedHook[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (d) => {
      body += d;
    });
    req.on("end", () => {
      hooks.push({ headers: req.headers, body });
      res.writeHead(receiver.status).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    hooks,
    status: 204,
    close: () => new Promise((r) => server.close(() => r())),
  };
  return receiver;
}
