// ESM entry: the same objects as the CommonJS one (one addon, one runtime).
import cjs from './index.js'

export const {
  Client,
  GuestList,
  BulkRun,
  EntraInviteError,
  InvalidInputError,
  AuthError,
  PermissionDeniedError,
  NotFoundError,
  AlreadyExistsError,
  VerifiedDomainError,
  BlockedByPolicyError,
  ThrottledError,
  ServiceError,
  NetworkError,
  TimeoutError,
  ProtocolError,
  InternalError,
} = cjs
export default cjs
