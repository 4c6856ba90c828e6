/** Base of every error the platform raises on purpose; `code` is stable and safe to match on. */
export class AftercareError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.code = code;
    this.name = new.target.name;
  }
}

/** A value from outside (environment, request, flag) was not acceptable; the message says which and why. */
export class ValidationError extends AftercareError {
  readonly issues: string[];
  constructor(message: string, issues: string[] = []) {
    super('VALIDATION_FAILED', message);
    this.issues = issues;
  }
}

export class ConfigError extends AftercareError {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
  }
}

export class NotFoundError extends AftercareError {
  constructor(what: string, id: string) {
    super('NOT_FOUND', `${what} ${id} not found`);
  }
}

export class ConflictError extends AftercareError {
  constructor(message: string) {
    super('CONFLICT', message);
  }
}
