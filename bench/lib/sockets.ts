import WebSocket from 'ws';

export interface ServerEvent {
  type: string;
  conversationId: string;
  cursor: number;
}

/**
 * Opens authenticated WebSockets to /api/v1/ws (session cookie, the app's Origin), a bounded number at a
 * time, and resolves once each one received its `ready` frame. `onEvent` sees every pushed event.
 */
export async function connectSockets(
  baseUrl: string,
  tokens: readonly string[],
  onEvent: (index: number, event: ServerEvent, at: number) => void,
  options: { parallel?: number; cookieName?: string } = {},
): Promise<{ sockets: WebSocket[]; close(): Promise<void> }> {
  const url = `${baseUrl.replace(/^http/, 'ws')}/api/v1/ws`;
  const cookieName = options.cookieName ?? 'missive_session';
  const sockets: WebSocket[] = new Array(tokens.length);
  let next = 0;
  const open = (index: number) =>
    new Promise<void>((resolve, reject) => {
      const socket = new WebSocket(url, {
        headers: { cookie: `${cookieName}=${tokens[index]}`, origin: baseUrl },
        perMessageDeflate: false,
      });
      sockets[index] = socket;
      const timer = setTimeout(() => reject(new Error(`socket ${index} not ready after 30 s`)), 30_000);
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as { type: string; event?: ServerEvent };
        if (frame.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (frame.type === 'event' && frame.event) onEvent(index, frame.event, performance.now());
      });
      socket.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      socket.on('unexpected-response', (_request, response) => {
        clearTimeout(timer);
        reject(new Error(`socket ${index} refused: ${response.statusCode}`));
      });
    });
  await Promise.all(
    Array.from({ length: Math.min(options.parallel ?? 100, tokens.length) }, async () => {
      while (next < tokens.length) await open(next++);
    }),
  );
  return {
    sockets,
    async close() {
      await Promise.all(
        sockets.map(
          (socket) =>
            new Promise<void>((resolve) => {
              if (socket.readyState === WebSocket.CLOSED) return resolve();
              socket.once('close', () => resolve());
              socket.close();
              setTimeout(resolve, 2_000).unref();
            }),
        ),
      );
    },
  };
}
