import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** One mail as the SMTP receiver parsed it. */
export interface ReceivedMail {
  /** The authenticated SMTP user. */
  readonly user: string | undefined;
  readonly from: string;
  readonly to: string[];
  readonly subject: string;
  readonly text: string;
  readonly html: string;
  readonly at: number;
}

/** A loopback SMTP server standing in for the mail relay. */
export interface SmtpReceiver {
  /** `127.0.0.1:port`, Alertmanager's `smtp_smarthost`. */
  readonly address: string;
  readonly mails: ReceivedMail[];
  /** Logins refused (wrong user or password). */
  readonly refusedLogins: () => number;
  close(): Promise<void>;
}

/**
 * Starts a real SMTP server (smtp-server) on 127.0.0.1 (port 0) that requires a login with
 * `username` and `password`, and parses each message with mailparser (MIME, quoted-printable,
 * multipart text and HTML). Plain connections only: Alertmanager sends PLAIN credentials over
 * them to a loopback host.
 */
export async function startSmtpReceiver(credentials: { username: string; password: string }): Promise<SmtpReceiver> {
  const mails: ReceivedMail[] = [];
  let refused = 0;
  const server = new SMTPServer({
    secure: false,
    allowInsecureAuth: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === credentials.username && auth.password === credentials.password)
        return callback(null, { user: auth.username });
      refused += 1;
      return callback(new Error('Invalid username or password'));
    },
    onData(stream, session, callback) {
      simpleParser(stream)
        .then((mail) => {
          mails.push({
            user: session.user as string | undefined,
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((recipient) => recipient.address),
            subject: mail.subject ?? '',
            text: mail.text ?? '',
            html: typeof mail.html === 'string' ? mail.html : '',
            at: Date.now(),
          });
          callback();
        })
        .catch((error: Error) => callback(error));
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  return {
    address: `127.0.0.1:${port}`,
    mails,
    refusedLogins: () => refused,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
