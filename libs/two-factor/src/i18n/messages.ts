import type { TwoFactorErrorCode } from '../errors/error-code.js';
import type { Status } from '../entities/status.js';

/** Objects a `not_found` error names; each has a message of its own. */
export type NotFoundObject = 'object' | 'confirmation' | 'user_config' | 'method_config' | 'device' | 'recovery';

/** The built-in methods, whose verbose names the catalogue holds. */
export type BuiltInMethodKey = 'dummy' | 'totp' | 'email' | 'sms' | 'backup_codes' | 'webauthn';

/** The class-validator constraints the module's DTOs use (their names as class-validator reports them). */
export type ValidationConstraint =
  | 'isInt'
  | 'isString'
  | 'isBoolean'
  | 'isEmail'
  | 'isIn'
  | 'isObject'
  | 'isUuid'
  | 'isArray'
  | 'isISO31661Alpha2'
  | 'min'
  | 'max'
  | 'isLength'
  | 'minLength'
  | 'maxLength'
  | 'matches'
  | 'arrayMinSize'
  | 'arrayMaxSize'
  | 'contains'
  | 'whitelistValidation'
  | 'nestedValidation';

/**
 * Every key of the catalogue. It is a closed union, so `TWO_FACTOR_MESSAGES` below
 * fails to typecheck when a key (e.g. a new error code) has no English default.
 */
export type TwoFactorMessageKey =
  | `error.${TwoFactorErrorCode}.message`
  | `error.not_found.${NotFoundObject}`
  | 'error.confirmation_expired.replaced'
  | 'error.rate_limited.cooldown'
  | 'error.rate_limited.window_taken'
  | `method.${BuiltInMethodKey}.verbose_name`
  | `status.${Status}`
  | 'sent_code.email.subject'
  | 'sent_code.email.text'
  | 'sent_code.sms.text'
  | 'recovery.notice.subject'
  | 'recovery.notice.text'
  | `validation.${ValidationConstraint}`
  | 'validation.not_object'
  | 'validation.body_not_object'
  | 'validation.answer_missing'
  | 'validation.body_empty_update'
  | 'validation.user_config_id_required'
  | 'validation.signed_in_user_required'
  | 'validation.too_long'
  | 'validation.malformed_unicode'
  | 'validation.too_deep'
  | 'validation.too_many_values'
  | 'validation.key_too_long'
  | 'validation.key_malformed_unicode'
  | 'validation.nul_character'
  | 'validation.key_nul_character'
  | 'validation.forbidden_key'
  | 'validation.phone_format'
  | 'validation.phone_invalid'
  | 'validation.no_sms'
  | 'validation.phone_country'
  | 'validation.method_not_registered'
  | 'validation.title_too_long'
  | 'validation.nickname_conflicts_title';

/** Values a message is filled with: `{name}` in the text is replaced by `params.name`. */
export type TwoFactorMessageParams = Record<string, string | number>;

/** A text to show, not yet rendered: its key and parameters. */
export interface TwoFactorMessage {
  key: TwoFactorMessageKey;
  params?: TwoFactorMessageParams;
}

/**
 * The English default of every user-facing text, with `{param}` placeholders. A
 * host's `translate` option gets these keys; whatever it does not translate is
 * answered in this English. Error `code`s never change with the language.
 */
export const TWO_FACTOR_MESSAGES: Readonly<Record<TwoFactorMessageKey, string>> = Object.freeze({
  // Domain errors (errors/*.ts).
  'error.validation_failed.message': 'Validation failed.',
  'error.empty_config.message': 'Give method_config_id or user_config_id.',
  'error.confirmation_failed.message': 'Confirmation failed.',
  'error.wrong_config.message': 'This confirmation was not issued for that user config.',
  'error.unauthenticated.message': 'Authentication required.',
  'error.two_factor_required.message': 'Confirm one of your factors and send the confirmation id in the X-Two-Factor-Confirmation header.',
  'error.factor_locked.message': 'This factor is locked after too many wrong codes: an admin can unlock it, or recover your account.',
  'error.not_found.message': '{what} not found.',
  'error.not_found.object': 'Object not found.',
  'error.not_found.confirmation': 'Confirmation not found.',
  'error.not_found.user_config': 'User config not found.',
  'error.not_found.method_config': 'Method config not found.',
  'error.not_found.device': 'Device not found.',
  'error.not_found.recovery': 'Recovery not found.',
  'error.already_confirmed.message': 'Confirmation already confirmed.',
  'error.confirmation_expired.message': 'Confirmation expired: request a new one.',
  'error.confirmation_expired.replaced': 'A newer confirmation replaced this one: use the latest code.',
  'error.confirmation_locked.message': 'Too many wrong attempts: request a new confirmation.',
  'error.rate_limited.message': 'Too many requests.',
  'error.rate_limited.cooldown': 'Too many wrong codes on this factor: wait before trying again.',
  'error.rate_limited.window_taken': 'Another answer on this factor was judged at the same moment: try again.',
  'error.delivery_failed.message': 'The code could not be sent: try again later.',
  'error.admin_required.message': 'This route is for administrators.',
  'error.method_config_in_use.message': 'This method config has {user_configs} user config(s): deactivate it, or delete with cascade=true to delete them too.',
  'error.sign_in_invalid.message': 'This sign-in is unknown, expired or already completed: sign in again.',
  'error.two_factor_enrollment_required.message': 'Enrol a second factor to continue: details.methods lists the methods you can enrol in.',
  'error.unsupported_media_type.message': 'Send the body as application/json (got {received}).',
  'error.database_unavailable.message': 'The database is unavailable: retry shortly.',
  'error.recovery_in_progress.message': 'A recovery of this account is already running: wait for it, or cancel it with the code that was sent.',
  'error.enrollment_not_open.message': 'This sign-in cannot enrol a factor: a recovery must have waited its time, or an access code must have opened it.',
  'error.access_code_invalid.message': 'This access code is unknown, expired or already used.',
  // Edge errors (http/errors/error-body.ts). Nest's own texts stay as Nest wrote them unless a translation is given.
  'error.bad_request.message': 'Bad request.',
  'error.malformed_body.message': 'The request body could not be read.',
  'error.forbidden.message': 'Forbidden resource.',
  'error.method_not_allowed.message': 'Method not allowed.',
  'error.payload_too_large.message': 'The request body is too large.',
  'error.internal_error.message': 'Internal server error.',
  // Verbose names of the built-in methods (a host's own method may use `method.<key>.verbose_name` too).
  'method.dummy.verbose_name': 'Dummy',
  'method.totp.verbose_name': 'Authenticator app',
  'method.email.verbose_name': 'Email code',
  'method.sms.verbose_name': 'SMS code',
  'method.backup_codes.verbose_name': 'Backup codes',
  'method.webauthn.verbose_name': 'Passkey or security key',
  // Statuses of user configs and confirmations (the API returns the status itself; these are labels for a UI).
  'status.new': 'New',
  'status.in_process': 'In process',
  'status.confirmed': 'Confirmed',
  'status.locked': 'Locked',
  // Sent codes: used when the method config keeps the default text; an admin's own subject or text wins.
  'sent_code.email.subject': 'Your verification code',
  'sent_code.email.text': 'Your verification code is {code}. It expires in {minutes} minutes. If you did not ask for it, you can ignore this email.',
  'sent_code.sms.text': 'Your verification code is {code}. It expires in {minutes} minutes.',
  // Recovery notices (issue 22): sent to every email and SMS factor when a recovery starts.
  'recovery.notice.subject': 'Someone started a recovery of your account',
  'recovery.notice.text':
    'Someone who knows your password asked to replace your second factors. From {not_before} they can enrol a new one, and your current factors stop working. If this was not you, cancel it now with the code {code} and change your password.',
  // Validation (details.fields[].message): class-validator's constraint names, `{field}` and `{constraint1}` …
  'validation.isInt': '{field} must be an integer number',
  'validation.isString': '{field} must be a string',
  'validation.isBoolean': '{field} must be a boolean value',
  'validation.isEmail': '{field} must be an email',
  'validation.isIn': '{field} must be one of the following values: {constraint1}',
  'validation.isObject': '{field} must be an object',
  'validation.isUuid': '{field} must be a UUID',
  'validation.isArray': '{field} must be an array',
  'validation.isISO31661Alpha2': '{field} must be a valid ISO31661 Alpha2 code',
  'validation.min': '{field} must not be less than {constraint1}',
  'validation.max': '{field} must not be greater than {constraint1}',
  'validation.isLength': '{field} must be between {constraint1} and {constraint2} characters long',
  'validation.minLength': '{field} must be longer than or equal to {constraint1} characters',
  'validation.maxLength': '{field} must be shorter than or equal to {constraint1} characters',
  'validation.matches': '{field} must match {constraint1} regular expression',
  'validation.arrayMinSize': '{field} must contain at least {constraint1} elements',
  'validation.arrayMaxSize': '{field} must contain no more than {constraint1} elements',
  'validation.contains': '{field} must contain a {constraint1} string',
  'validation.whitelistValidation': 'property {field} should not exist',
  'validation.nestedValidation': 'nested property {field} must be either object or array',
  'validation.not_object': '{field} must be an object',
  'validation.body_not_object': 'body must be a JSON object',
  'validation.answer_missing': 'data must be an object holding the answer (e.g. its code)',
  'validation.body_empty_update': 'body must give at least one of {fields}',
  'validation.user_config_id_required': 'user_config_id is required for this method',
  'validation.method_not_registered': 'method "{method}" is not registered; registered: {registered}',
  'validation.title_too_long': 'title must be a string of at most 255 characters',
  'validation.nickname_conflicts_title': 'nickname and title name the same thing: give one, or the same value in both',
  'validation.signed_in_user_required': 'a signed-in user is required to register an authenticator',
  'validation.too_long': '{field} is longer than {max} characters',
  'validation.malformed_unicode': '{field} is not well-formed Unicode',
  'validation.too_deep': '{field} is nested deeper than {max} levels',
  'validation.too_many_values': '{field} has more than {max} values',
  'validation.key_too_long': '{field} has a key longer than {max} characters',
  'validation.key_malformed_unicode': '{field} has a key that is not well-formed Unicode',
  'validation.nul_character': '{field} must not contain a NUL character',
  'validation.key_nul_character': '{field} has a key with a NUL character',
  'validation.forbidden_key': '{field} must not have a "{key}" key',
  'validation.phone_format': '{field} must be a phone number in international format, e.g. +447400123456',
  'validation.phone_invalid': '{field} must be a valid phone number',
  'validation.no_sms': '{field} cannot receive text messages',
  'validation.phone_country': '{field} is from a country this site does not send texts to',
});

/** Every key of the catalogue, for a host that wants to list what it can translate. */
export const TWO_FACTOR_MESSAGE_KEYS = Object.freeze(Object.keys(TWO_FACTOR_MESSAGES) as TwoFactorMessageKey[]);

/** Whether `key` is in the catalogue (class-validator may report constraints the catalogue does not know). */
export function isTwoFactorMessageKey(key: string): key is TwoFactorMessageKey {
  return Object.hasOwn(TWO_FACTOR_MESSAGES, key);
}
