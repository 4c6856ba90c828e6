import { createServer as createHttpServer, type Server as HttpServer, type IncomingMessage } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { ConfigError } from '@aftercare/core';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { Listener } from './broker-metrics.ts';

/**
 * The certificate and key as PEM text (not file paths): reading files is the caller's business,
 * which keeps the broker free of file I/O and lets tests and secret stores hand PEM over directly.
 */
export interface TlsPem {
  cert: string | Buffer;
  key: string | Buffer;
}

export interface ListenerOptions {
  host: string;
  /** null disables a listener; 0 picks a free port. */
  tcpPort: number | null;
  wsPort: number | null;
  mqttsPort: number | null;
  wssPort: number | null;
  /** Without it the TLS listeners stay closed whatever their ports say. */
  tls: TlsPem | null;
  maxPacketBytes: number;
}

/** The ports actually bound; null for a listener that is not running. */
export interface BrokerAddresses {
  host: string;
  tcpPort: number | null;
  wsPort: number | null;
  mqttsPort: number | null;
  wssPort: number | null;
}

export type ConnectionHandler = (conn: Duplex, listener: Listener, req?: IncomingMessage) => void;

export interface OpenListeners {
  addresses: BrokerAddresses;
  /** Stops accepting; resolves once every listener has closed, which needs its connections gone. */
  stopAccepting(): Promise<void>;
  /** Cuts whatever connections are left, including ones that never finished CONNECT. */
  destroyConnections(): void;
}

export const websocketPath = '/mqtt';

export function assertPem(tls: TlsPem): void {
  for (const [name, value] of Object.entries(tls)) {
    if (!String(value).includes('-----BEGIN ')) {
      throw new ConfigError(`broker tls.${name} must be PEM text; read the file and pass its contents`);
    }
  }
}

interface Running {
  server: NetServer | HttpServer;
  wss?: WebSocketServer;
}

export async function openListeners(
  options: ListenerOptions,
  handle: ConnectionHandler,
  onError: (listener: Listener, err: Error) => void,
): Promise<OpenListeners> {
  const sockets = new Set<Socket>();
  const running: Running[] = [];
  const track = (server: NetServer | HttpServer) =>
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });

  const websocket = (server: HttpServer, listener: Listener): Running => {
    const wss = new WebSocketServer({
      server,
      path: websocketPath,
      // A backstop against giant frames only: the exact packet limit is enforced (and counted) on
      // the stream, and a frame may carry more than one packet.
      maxPayload: 2 * options.maxPacketBytes,
      handleProtocols: (offered) =>
        offered.has('mqtt') ? 'mqtt' : offered.has('mqttv3.1') ? 'mqttv3.1' : false,
    });
    wss.on('connection', (ws, req) => handle(createWebSocketStream(ws), listener, req));
    wss.on('error', (err) => onError(listener, err));
    return { server, wss };
  };

  const wanted: Array<[Listener, number | null, () => Running]> = [
    ['tcp', options.tcpPort, () => ({ server: createNetServer({ noDelay: true }, (c) => handle(c, 'tcp')) })],
    ['ws', options.wsPort, () => websocket(createHttpServer({ noDelay: true }), 'ws')],
  ];
  const { tls } = options;
  if (tls) {
    wanted.push(
      [
        'mqtts',
        options.mqttsPort,
        () => ({ server: createTlsServer({ ...tls, noDelay: true }, (c) => handle(c, 'mqtts')) }),
      ],
      ['wss', options.wssPort, () => websocket(createHttpsServer({ ...tls, noDelay: true }), 'wss')],
    );
  }

  const addresses: BrokerAddresses = {
    host: options.host,
    tcpPort: null,
    wsPort: null,
    mqttsPort: null,
    wssPort: null,
  };
  const portKey = { tcp: 'tcpPort', ws: 'wsPort', mqtts: 'mqttsPort', wss: 'wssPort' } as const;

  const stopAccepting = () =>
    Promise.all(
      running.map(
        ({ server, wss }) =>
          new Promise<void>((resolve) => {
            wss?.close();
            server.close(() => resolve());
            if ('closeIdleConnections' in server) server.closeIdleConnections();
          }),
      ),
    ).then(() => undefined);
  const destroyConnections = () => {
    for (const { wss } of running) for (const ws of wss?.clients ?? []) ws.terminate();
    for (const socket of sockets) socket.destroy();
  };

  try {
    for (const [listener, port, create] of wanted) {
      if (port === null) continue;
      const entry = create();
      track(entry.server);
      running.push(entry);
      addresses[portKey[listener]] = await listen(entry.server, port, options.host);
      entry.server.on('error', (err) => onError(listener, err));
    }
  } catch (err) {
    destroyConnections();
    await stopAccepting();
    throw err;
  }
  return { addresses, stopAccepting, destroyConnections };
}

function listen(server: NetServer | HttpServer, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => reject(err);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      const address = server.address();
      resolve(typeof address === 'object' && address ? address.port : port);
    });
  });
}
