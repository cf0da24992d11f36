import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import nodemailer, { type Transporter } from 'nodemailer';
import { type Logger, silentLogger } from '@segur/kernel';

export interface OutgoingEmail {
  from: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** `<…@segur.local>`, stable across retries. */
  messageId: string;
}

export interface MailerReceipt {
  /** The server's answer (`250 OK …`) or where the file went. */
  response: string;
}

/** Resolves only when the message was accepted for the recipient; throws otherwise. */
export interface Mailer {
  send(email: OutgoingEmail): Promise<MailerReceipt>;
  close(): Promise<void>;
}

/** SMTP through nodemailer, e.g. `SMTP_URL=smtp://user:pass@smtp.example.fr:587`. */
export class SmtpMailer implements Mailer {
  private readonly transport: Transporter;

  constructor(smtpUrl: string) {
    this.transport = nodemailer.createTransport(smtpUrl);
  }

  async send(email: OutgoingEmail): Promise<MailerReceipt> {
    const info = (await this.transport.sendMail({ ...email })) as {
      rejected?: unknown[];
      response?: string;
    };
    const rejected = (info.rejected ?? []).map(String);
    if (rejected.length > 0)
      throw new Error(`destinataire refusé par le serveur SMTP : ${rejected.join(', ')}`);
    return { response: info.response ?? '' };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}

/**
 * When SMTP_URL is unset (embedded/dev mode): each email becomes `DATA_DIR/outbox/<message-id>.eml`,
 * openable in any mail client. Named after the Message-ID, so a retry overwrites, never duplicates.
 */
export class FileMailer implements Mailer {
  private readonly transport: Transporter;
  private readonly dir: string;

  constructor(
    dataDir: string,
    private readonly logger: Logger = silentLogger,
  ) {
    this.dir = join(dataDir, 'outbox');
    this.transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: 'unix' });
  }

  async send(email: OutgoingEmail): Promise<MailerReceipt> {
    const info = (await this.transport.sendMail({ ...email })) as { message: Buffer };
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${email.messageId.replace(/[^A-Za-z0-9._-]/g, '_')}.eml`);
    await writeFile(file, info.message);
    this.logger.info({ to: email.to, subject: email.subject, file }, 'courriel écrit (SMTP_URL non défini)');
    return { response: `fichier ${file}` };
  }

  async close(): Promise<void> {
    this.transport.close();
  }
}
