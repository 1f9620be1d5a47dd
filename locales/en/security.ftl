# The starter's messages in English. Keys are Flask-Security-Too's message
# names (SECURITY_MSG_INVALID_PASSWORD → INVALID_PASSWORD) where it has one,
# the starter's own otherwise. Reword any of them without touching this file:
# [default.security.messages] in Rocket.toml (README → Messages).

## Requests that cannot be read

NOT_A_STRING = Not a valid string.
NOT_A_LIST = Not a valid list.
NOT_A_VALID_CHOICE = Not a valid choice
BODY_NOT_AN_OBJECT = The request body must be a JSON object.
BODY_NOT_JSON = The request body is not valid JSON.
BODY_NOT_UTF8 = The request body is not valid UTF-8.
FORM_NOT_UTF8 = The form data is not valid UTF-8.
BAD_REQUEST = The request could not be understood.
BODY_TOO_LARGE = The request body is too large.
NOT_FOUND = Not found.
METHOD_NOT_ALLOWED = Method not allowed.
SERVER_ERROR = Something went wrong on our side. Please try again.
MAIL_FAILED = We could not send the email just now. Please try again in a few minutes.
CSRF_MISSING = The CSRF token is missing.
CSRF_INVALID = The CSRF token is invalid.
FORM_EXPIRED = This form expired. Please try again.
INVALID_REDIRECT = Redirections outside the domain are forbidden
INVALID_INPUT = Value entered is not valid for the field

## Who may ask

UNAUTHENTICATED = You must sign in to view this resource.
UNAUTHORIZED = You do not have permission to view this resource.
REAUTHENTICATION_REQUIRED = You must reauthenticate to access this endpoint
ANONYMOUS_USER_REQUIRED = You can only access this endpoint when not logged in.
TOO_MANY_ATTEMPTS = Too many attempts. Please wait a while and try again.
TRY_AGAIN_IN_SECONDS = You can try again in { $seconds ->
    [one] one second
   *[other] { $seconds } seconds
}.
TRY_AGAIN_IN_MINUTES = You can try again in { $minutes ->
    [one] one minute
   *[other] { $minutes } minutes
}.
LOGIN_TO_CONTINUE = Please sign in to continue.

## Identities and passwords

EMAIL_NOT_PROVIDED = Email not provided
INVALID_EMAIL_ADDRESS = Invalid email address
EMAIL_ALREADY_ASSOCIATED = { $email } is already associated with an account.
PASSWORD_NOT_PROVIDED = Password not provided
PASSWORD_INVALID_LENGTH = Password must be at least { $length } characters
PASSWORD_TOO_LONG = Password must be at most { $length } characters
RETYPE_PASSWORD_MISMATCH = Passwords do not match
PASSWORD_IS_THE_SAME = Your new password must be different than your previous password.
PASSWORD_TOO_SIMPLE = Password not complex enough
PASSWORD_BREACHED = Password on breached list
PASSWORD_BREACHED_SITE_ERROR = Failed to contact breached passwords site
USERNAME_NOT_PROVIDED = Username not provided
USERNAME_DISALLOWED_CHARACTERS = Username can contain only letters and numbers
USERNAME_INVALID_LENGTH = Username must be at least { $min } characters and less than { $max } characters
USERNAME_ALREADY_ASSOCIATED = { $username } is already associated with an account.

## Signing in

USER_DOES_NOT_EXIST = Specified user does not exist
INVALID_PASSWORD = Invalid password
GENERIC_AUTHN_FAILED = Authentication failed - identity or password/passcode invalid
DISABLED_ACCOUNT = Account is disabled.
CONFIRMATION_REQUIRED = Email requires confirmation.
INVALID_LOGIN_TOKEN = This sign-in link has expired or was already used.
PASSWORDLESS_LOGIN_SUCCESSFUL = You are now signed in.
LOGIN_EMAIL_SENT = If an account exists for { $email }, we sent it a sign-in link.
LOGIN_EXPIRED = You did not sign in within { $within }. We have sent a new sign-in link to { $email }.

## Registration and confirmation

CONFIRM_REGISTRATION = If { $email } still needs confirming, we sent it a confirmation link.
CONFIRMATION_EXPIRED = You did not confirm your email within { $within }. New instructions to confirm your email have been sent to { $email }.
INVALID_CONFIRMATION_TOKEN = Invalid confirmation token.
ALREADY_CONFIRMED = Your email has already been confirmed.
EMAIL_CONFIRMED = Thank you. Your email has been confirmed.
EMAIL_CONFIRMED_CHOOSE_PASSWORD = Thank you. Your email has been confirmed. It was confirmed in another browser than the one that registered, so the password chosen then no longer works: we have sent you a link to choose a new one.

## Passwords: change and reset

PASSWORD_CHANGE = You successfully changed your password.
PASSWORD_RESET_REQUEST = If an account exists for { $email }, we sent it a link to choose a new password.
PASSWORD_RESET_EXPIRED = You did not reset your password within { $within }.
INVALID_RESET_PASSWORD_TOKEN = Invalid reset password token.
PASSWORD_RESET = You successfully reset your password, and you are now signed in.
PASSWORD_RESET_NO_LOGIN = You successfully reset your password. Please sign in.

## Sessions

SESSION_REVOKED = The session has been ended.
DEVICE_ON_SYSTEM = { $browser } on { $system }
OTHER_SESSIONS_REVOKED = You have been signed out everywhere else.

## Two-factor and recovery codes

TWO_FACTOR_METHOD_NOT_AVAILABLE = Marked method is not valid
INVALID_CODE = Invalid code
TWO_FACTOR_SETUP_EXPIRED = Setup must be completed within { $within }. Please start over.
TWO_FACTOR_DISABLED = Two-factor sign-in is off.
TWO_FACTOR_ENABLED = Two-factor sign-in is on.
TWO_FACTOR_HELP_SENT = We have sent what you asked for.
INVALID_RECOVERY_CODE = Recovery code invalid

## Change email

CHANGE_EMAIL_SENT = We sent a link to { $email }. Your address changes when you follow it; until then, nothing changes.
CHANGE_EMAIL_CONFIRMED = Change of email address confirmed
CHANGE_EMAIL_EXPIRED = This link has expired. Ask for a new one below if you still want to change your address.
CHANGE_EMAIL_INVALID = This link has expired or was already used.
CHANGE_EMAIL_TAKEN = That address now belongs to another account, so your address has not changed.

## Usernames

USERNAME_RECOVERY_REQUEST = If registered, your username will be sent to your email.
USERNAME_CHANGE = You successfully changed your username

## Unified sign-in

US_SPECIFY_IDENTITY = You must specify a valid identity to sign in
US_METHOD_NOT_AVAILABLE = Requested method is not valid
INVALID_PASSWORD_CODE = Password or code submitted is not valid
CODE_HAS_BEEN_SENT = Code has been sent.
GENERIC_US_SIGNIN = If that identity is in our system, you were sent a code.
US_SETUP_EXPIRED = Setup must be completed within { $within }. Please start over.
US_SETUP_SUCCESSFUL = Unified sign in setup successful
US_METHOD_REMOVED = That sign-in method is off.

## Passkeys (WebAuthn)

API_ERROR = Input not appropriate for requested API
WEBAUTHN_EXPIRED = Passkey operations must be completed within { $within }. Please start over.
WEBAUTHN_NAME_REQUIRED = Nickname for new passkey is required.
WEBAUTHN_NAME_DISALLOWED_CHARACTERS = Passkey nicknames can contain only letters, numbers, and limited punctuation.
INVALID_INPUT_LENGTH = Must be at most { $max } characters.
INVALID_USAGE = Not a valid choice.
WEBAUTHN_NAME_INUSE = { $name } is already associated with a passkey.
WEBAUTHN_CREDENTIAL_ID_INUSE = Passkey already registered.
WEBAUTHN_NO_VERIFY = Could not verify passkey: { $cause }.
WEBAUTHN_REGISTER_SUCCESSFUL = Successfully added the passkey with name: { $name }
WEBAUTHN_CREDENTIAL_DELETED = Successfully deleted the passkey with name: { $name }
WEBAUTHN_NAME_NOT_FOUND = { $name } not registered with current user.
WEBAUTHN_UNKNOWN_CREDENTIAL_ID = Unregistered passkey.
WEBAUTHN_CREDENTIAL_WRONG_USAGE = Passkey not registered for this use (first or secondary)
WEBAUTHN_MISMATCH_USER_HANDLE = Credential user handle didn't match
OAUTH_HANDSHAKE_ERROR = An error occurred while communicating with the OAuth provider: ({ $error } - { $description }). Please try again.
OAUTH_EMAIL_NOT_VERIFIED = { $provider } has not verified the email address { $email }
OAUTH_ACCOUNT_EXISTS = An account with { $email } exists: sign in and connect { $provider } from your account page
IDENTITY_NOT_REGISTERED = Identity { $email } not registered
OAUTH_IDENTITY_IN_USE = This { $provider } account is connected to another account
OAUTH_PROVIDER_CONNECTED = { $provider } is already connected: disconnect it first
OAUTH_NOT_CONNECTED = { $provider } is not connected to this account
OAUTH_LAST_SIGNIN_METHOD = Set a password or connect another way to sign in first
OAUTH_CONNECTED = { $provider } is now connected to your account.
OAUTH_DISCONNECTED = { $provider } is no longer connected to your account.
OAUTH_SIGN_IN_WITH = Sign in with { $provider }
OAUTH_VERIFY_WITH = Confirm with { $provider }
OAUTH_CONNECT = Connect { $provider }
OAUTH_PROVIDER_REQUIRED = Name the provider to disconnect.
REAUTHENTICATION_SUCCESSFUL = Reauthentication successful
OAUTH_DISCONNECT = Disconnect
OAUTH_NO_ACCOUNT_REGISTER = No account yet? Register
PAGE_CONNECTED_PROVIDERS = Connected sign-in providers
PAGE_CONNECTED = Connected
PAGE_PROVIDER = Provider
PAGE_NOT_CONNECTED = not connected
TITLE_CONNECTED_PROVIDERS = Connected sign-in providers

PAGE_PASSKEYS = Passkeys
PASSKEYS_INTRO = A passkey signs you in with your device's screen lock or a security key, without typing a password. Keys registered as a second factor are asked for after your password.
PASSKEYS_NONE = You have no passkeys yet.
PASSKEY_FOLLOW_BROWSER = Follow your browser's prompt to create the passkey.
PASSKEY_BROWSER_REFUSED = The browser did not create a passkey. Start again below if you want to.
PASSKEY_NEEDS_SCRIPT = Passkeys need JavaScript in this page.
PASSKEY_NAME = Name
PASSKEY_NAME_HINT = So you can tell your keys apart, e.g. "Work laptop" or "YubiKey".
PASSKEY_ADDED = Added
PASSKEY_USAGE_FIRST = Passkey
PASSKEY_USAGE_SECONDARY = Second factor
PASSKEY_SYNCED = synced
PASSKEY_REMOVE = Remove
PASSKEY_ADD = Add a passkey
PASSKEY_USE_FOR = Use it
PASSKEY_USAGE_FIRST_LONG = to sign in without a password
PASSKEY_USAGE_SECONDARY_LONG = as a second factor after my password
PASSKEY_ADD_BUTTON = Add the passkey
TITLE_PASSKEY_SIGN_IN = Sign in with a passkey
PASSKEY_SIGN_IN_INTRO = Use the passkey on this device, on your phone or on a security key. Your email address is optional: without it, your browser offers the passkeys it has for this site.
PASSKEY_SECOND_FACTOR_INTRO = Your password was right. Now use the security key or passkey you registered as your second factor.
PASSKEY_SIGN_IN_BUTTON = Sign in with a passkey
PASSKEY_USE_KEY_BUTTON = Use my key
PASSKEY_FOLLOW_BROWSER_GET = Follow your browser's prompt to use your passkey.
PASSKEY_BROWSER_REFUSED_GET = The browser did not use a passkey. Try again, or sign in another way.
PASSKEY_VERIFY_BUTTON = Use a passkey instead
TITLE_PASSKEYS = Passkeys

## Pages: the navigation

NAV_LABEL = Main
NAV_ACCOUNT = Account
NAV_SESSIONS = Sessions
NAV_ADMIN = Admin
NAV_SIGN_IN = Sign in
NAV_SIGN_OUT = Sign out
NAV_REGISTER = Create account

## Pages: signing in and registering

LOGIN_TITLE = Sign in
REGISTER_TITLE = Create an account
LABEL_EMAIL = Email address
LABEL_EMAIL_OR_USERNAME = Email address or username
LABEL_USERNAME = Username
LABEL_OPTIONAL = (optional)
LABEL_PASSWORD = Password
LABEL_PASSWORD_CONFIRM = Repeat the password
LABEL_REMEMBER = Remember me
HINT_PASSWORD_LENGTH = At least { $length } characters.
HINT_USERNAME = 4 to 32 letters or digits. You can sign in with it instead of your email.
HINT_SIGN_IN_LINK = No password at hand? We can email you a link that signs you in.
BUTTON_SIGN_IN = Sign in
BUTTON_SEND_LINK = Email me a sign-in link
BUTTON_REGISTER = Create account
LINK_FORGOT_PASSWORD = Forgot your password?
LINK_FORGOT_USERNAME = Forgot your username?
LINK_US_SIGNIN = Sign in with a code instead
LINK_RESEND_CONFIRMATION = Resend confirmation
LINK_REGISTER = New here? Create an account.
LINK_SIGN_IN = Already have an account? Sign in.

## Pages

US_SIGNIN_INTRO_PASSWORD_OR_CODE = Enter your { $usernames ->
    [true] email address or username
   *[other] email address
}, then your password, or ask for a code by mail.
US_SIGNIN_INTRO_CODE = Enter your { $usernames ->
    [true] email address or username
   *[other] email address
}, then ask for a code by mail.
US_SIGNIN_INTRO_PASSWORD = Enter your { $usernames ->
    [true] email address or username
   *[other] email address
} and your password.
US_VERIFY_INTRO_CODE = This page needs a recent sign-in. Enter your password, or a code we mail you, to go on.
ADMIN_INTRO = Only users with the admin role see this page.
PAGE_CHANGE_EMAIL_ADDRESS = Change email address
PAGE_NEW_EMAIL_ADDRESS = New email address
PAGE_SEND_THE_CONFIRMATION_LINK = Send the confirmation link
PAGE_CHANGE_PASSWORD = Change password
PAGE_CURRENT_PASSWORD = Current password
PAGE_NEW_PASSWORD = New password
PAGE_AT_LEAST_CHARACTERS_OTHER_DEVICES = At least { $min_length } characters. Other devices will be signed out.
PAGE_REPEAT_THE_NEW_PASSWORD = Repeat the new password
PAGE_CHANGE_USERNAME = Change username
PAGE_CHOOSE_A_USERNAME = Choose a username
PAGE_YOUR_ACCOUNT_HAS_NO_USERNAME = Your account has no username yet. With one, you can sign in without typing your email address.
PAGE_NEW_USERNAME = New username
PAGE_TO_LETTERS_OR_DIGITS = 4 to 32 letters or digits.
PAGE_SAVE_THE_USERNAME = Save the username
PAGE_BACK_TO_YOUR_ACCOUNT = Back to your account
RESET_INTRO = Enter your email address and we will send you a link to choose a new password.
PAGE_SEND_THE_LINK = Send the link
PAGE_BACK_TO_SIGN_IN = Back to sign in
PAGE_USE_MY_SECURITY_KEY = Use my passkey or security key
PAGE_USE_A_RECOVERY_CODE = Use a recovery code
PAGE_RECOVERY_CODE = Recovery code
PAGE_RECOVERY_CODES = Recovery codes
PAGE_EACH_CODE_COMPLETES_ONE_SIGN = Each code completes one sign-in when you cannot get a two-factor code. Print them or keep them somewhere safe; making new ones ends these.
PAGE_YOU_HAVE_NO_UNUSED_RECOVERY = You have no unused recovery codes.
PAGE_MAKE_NEW_CODES = Make new codes
RECOVER_USERNAME_INTRO = Enter your email address and we will mail you your username. You can also sign in with the email address itself.
PAGE_SEND_MY_USERNAME = Send my username
PAGE_CHOOSE_A_NEW_PASSWORD = Choose a new password
PAGE_AT_LEAST_CHARACTERS_EVERY_DEVICE = At least { $min_length } characters. Every device signed in to your account will be signed out.
PAGE_SET_THE_NEW_PASSWORD = Set the new password
PAGE_RESEND_CONFIRMATION_INSTRUCTIONS = Resend confirmation instructions
PAGE_ENTER_THE_ADDRESS_YOU_REGISTERED = Enter the address you registered with and we will send a new confirmation link.
PAGE_WHERE_YOU_ARE_SIGNED_IN = Where you are signed in
PAGE_EACH_BROWSER_YOU_SIGNED_IN = Each browser you signed in with, each "remember me", and each API token an app signed in with. End any you do not recognise, then change your password.
PAGE_KIND = Kind
PAGE_STARTED = Started
PAGE_LAST_USED = Last used
PAGE_FROM = From
PAGE_ACTION = Action
PAGE_SESSION = Session
PAGE_THIS_BROWSER = (this browser)
PAGE_UNKNOWN = unknown
PAGE_END = End
PAGE_SIGN_OUT_EVERYWHERE_ELSE = Sign out everywhere else
PAGE_TWO_FACTOR_SIGN_IN = Two-factor sign-in
PAGE_SCAN_THIS_CODE_WITH_YOUR = Scan this code with your authenticator app, or type the key into it. Then enter the six-digit code it shows.
PAGE_KEY = Key:
TWO_FACTOR_SETUP_CODE_EMAILED = We have emailed you a six-digit code. Enter it to turn on codes by email.
PAGE_CODE = Code
PAGE_TURN_ON = Turn on
PAGE_TWO_FACTOR_SIGN_IN_IS = Two-factor sign-in is off. Turn it on, and every sign-in will ask for a code after your password.
PAGE_USE_AN_AUTHENTICATOR_APP = Use an authenticator app
PAGE_ENTER_YOUR_CODE = Enter your code
TWO_FACTOR_CODE_EMAILED = We have emailed you a six-digit code.
PAGE_OPEN_YOUR_AUTHENTICATOR_APP_AND = Open your authenticator app and enter the six-digit code it shows.
PAGE_CANNOT_GET_A_CODE = Cannot get a code?
PAGE_EMAIL_ME_A_CODE = Email me a code
PAGE_ASK_FOR_HELP = Ask for help
PAGE_SIGN_IN_METHODS = Sign-in methods
PAGE_YOU_CAN_SIGN_IN_WITH = You can sign in with:
PAGE_WE_MAILED_A_CODE_TO = We mailed a code to your address. Enter it to turn on sign-in by mailed code.
PAGE_TURN_IT_ON = Turn it on
PAGE_CODES_BY_MAIL_ARE_ON = Codes by mail are on: you can sign in with a code we mail you instead of your password.
PAGE_TURN_OFF_CODES_BY_MAIL = Turn off codes by mail
PAGE_SIGN_IN_WITH_A_CODE = Sign in with a code we mail you, instead of typing your password. We will send a code now to check your address.
PAGE_TURN_ON_CODES_BY_MAIL = Turn on codes by mail
PAGE_PASSWORD_OR_CODE = Password or code
PAGE_SIGN_IN_WITH_EMAIL_AND = Sign in with email and password
PAGE_NEW_HERE = New here?
PAGE_CONFIRM_IT_IS_YOU = Confirm it is you
PAGE_CONTINUE = Continue
VERIFY_INTRO = This page needs a recent sign-in. Enter your password to go on.
PAGE_YOUR_ACCOUNT = Your account
PAGE_EMAIL = Email
PAGE_NONE = none
PAGE_ROLES = Roles
PAGE_SIGN_INS = Sign-ins
PAGE_THIS_SIGN_IN = This sign-in
PAGE_NOT_RECORDED = not recorded
PAGE_PREVIOUS_SIGN_IN = Previous sign-in
PAGE_HELLO = Hello, { $email }
PAGE_YOU_ARE_SIGNED_IN = You are signed in.
PAGE_WELCOME = Welcome
PAGE_THIS_APPLICATION_COMES_WITH_SIGN = This application comes with sign-in already done right.
PAGE_ADMINISTRATION = Administration
PAGE_ACTIVE = Active
PAGE_YES = yes
PAGE_NO = no
PAGE_BACK_TO_THE_HOME_PAGE = Back to the home page
PAGE_FROM_IP = from { $ip }
CHANGE_EMAIL_INTRO = Your account uses { $email }. We will send a link to the new address; the change happens when you follow it, and we will tell the current address afterwards.
CHANGE_USERNAME_INTRO = Your username is { $username }. After the change, only the new one signs in; we will tell your email address.
CHECK_INBOX_TITLE = Check your inbox
CHECK_INBOX_SENT = We sent a confirmation link to { $email }. Follow it to finish creating your account.
CHECK_INBOX_RESEND = No mail after a few minutes? Look in your spam folder, or send the link again.
CHECK_INBOX_BUTTON = Send the link again
INDEX_GO_TO_ACCOUNT = Your account
TWO_FACTOR_REQUIRED_INTRO = This account needs two-factor sign-in. Choose how you get your codes; setting it up finishes signing you in.
TWO_FACTOR_ON_EMAIL = Two-factor sign-in is on: codes come by email.
TWO_FACTOR_ON_AUTHENTICATOR = Two-factor sign-in is on: codes come from your authenticator app.
BUTTON_TWO_FACTOR_OFF = Turn two-factor off
BUTTON_TWO_FACTOR_EMAIL = Use codes by email
RECOVERY_CODES_HINT = Recovery codes complete a sign-in when you cannot get a code.
LINK_RECOVERY_CODES = See your recovery codes
SESSION_KIND_REMEMBER = Remembered device
SESSION_KIND_API = API token
SESSION_KIND_SESSION_REMEMBERED = Session, remembered

## Pages: the account hub

HUB_CHANGE = Change
HUB_MANAGE = Manage
HUB_SET_UP = Set up
HUB_REVIEW = Review
HUB_ON = On
HUB_OFF = Off
HUB_PASSWORD_STATE = Set. Changing it signs out your other devices.
HUB_TWO_FACTOR_EMAIL = codes by email
HUB_TWO_FACTOR_AUTHENTICATOR = codes from an authenticator app
HUB_RECOVERY_CODES_LEFT = { $count ->
    [0] No unused codes left
    [one] 1 unused code left
   *[other] { $count } unused codes left
}
HUB_PASSKEYS = { $count ->
    [0] None yet
    [one] 1 passkey
   *[other] { $count } passkeys
}
HUB_METHOD_PASSWORD = password
HUB_METHOD_EMAIL = codes by mail
HUB_METHOD_AUTHENTICATOR = authenticator app
HUB_SIGN_INS_ACTIVE = { $count ->
    [one] 1 active sign-in
   *[other] { $count } active sign-ins
}

## Page titles

TITLE_HOME = Home
TITLE_ACCOUNT = Your account
TITLE_ADMIN = Administration
TITLE_ERROR = { $status ->
    [400] Bad request
    [401] Unauthorized
    [403] Forbidden
    [404] Page not found
    [405] Method not allowed
    [413] Request too large
    [422] Unprocessable request
    [429] Too many requests
   *[other] Something went wrong
}
TITLE_CHANGE_EMAIL_ADDRESS = Change email address
TITLE_CHANGE_PASSWORD = Change password
TITLE_CHANGE_USERNAME = Change username
TITLE_CHOOSE_A_NEW_PASSWORD = Choose a new password
TITLE_CONFIRM_IT_IS_YOU = Confirm it is you
TITLE_ENTER_YOUR_CODE = Enter your code
TITLE_FORGOT_YOUR_PASSWORD = Forgot your password?
TITLE_FORGOT_YOUR_USERNAME = Forgot your username?
TITLE_RECOVERY_CODES = Recovery codes
TITLE_RESEND_CONFIRMATION_INSTRUCTIONS = Resend confirmation instructions
TITLE_SIGN_IN = Sign in
TITLE_SIGN_IN_METHODS = Sign-in methods
TITLE_TWO_FACTOR_SIGN_IN = Two-factor sign-in
TITLE_USE_A_RECOVERY_CODE = Use a recovery code
TITLE_WHERE_YOU_ARE_SIGNED_IN = Where you are signed in

## Durations (links' and codes' lifetimes)

DURATION = { $unit ->
    [day] { $count ->
        [one] 1 day
       *[other] { $count } days
    }
    [hour] { $count ->
        [one] 1 hour
       *[other] { $count } hours
    }
    [minute] { $count ->
        [one] 1 minute
       *[other] { $count } minutes
    }
    [second] { $count ->
        [one] 1 second
       *[other] { $count } seconds
    }
   *[ms] { $count } ms
}

## Mail subjects (Flask-Security-Too's)

EMAIL_SUBJECT_REGISTER = Welcome
EMAIL_SUBJECT_REGISTER_EXISTING = You already have an account
EMAIL_SUBJECT_CONFIRM = Please confirm your email
EMAIL_SUBJECT_PASSWORD_RESET = Password reset instructions
EMAIL_SUBJECT_PASSWORD_NOTICE = Your password has been reset
EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE = Your password has been changed
EMAIL_SUBJECT_PASSWORDLESS = Login instructions
EMAIL_SUBJECT_TWO_FACTOR = Two-Factor Login
EMAIL_SUBJECT_TWO_FACTOR_RESCUE = Two-Factor Rescue
EMAIL_SUBJECT_TWO_FACTOR_NOTICE = Two-factor sign-in changed
EMAIL_SUBJECT_CHANGE_EMAIL = Confirm your new email address
EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE = Your email address has been changed
EMAIL_SUBJECT_USERNAME_RECOVERY = Your requested username
EMAIL_SUBJECT_USERNAME_CHANGE = Your username has been changed
EMAIL_SUBJECT_US = Verification Code

## Mail bodies (templates/mail/security/email/)

MAIL_HELLO = Hello { $email },
MAIL_PASTE_LINK = Or paste this link into your browser:
MAIL_LINK_VALID = The link is valid for { $within }.
MAIL_LINK_VALID_ONCE = The link is valid for { $within } and can be used once.
MAIL_NOT_YOU_RESET = If you did not do this, reset your password now:
MAIL_NOT_YOU_CONTACT = If you did not do this, contact the site at once:
MAIL_WELCOME = Welcome { $email }!
MAIL_WELCOME_CONFIRM = Please confirm your email address by following this link:
MAIL_WELCOME_BUTTON = Confirm my account
MAIL_WELCOME_READY = Your account is ready:
MAIL_WELCOME_EXISTING = Someone (hopefully you) tried to create an account with this address, but it already has one. If it was you, sign in instead, or reset your password:
MAIL_WELCOME_EXISTING_IGNORE = If it was not you, you can ignore this message: nothing has changed.
MAIL_CONFIRM = Please confirm your email address { $email } by following this link:
MAIL_CONFIRM_BUTTON = Confirm my email
MAIL_LOGIN = Sign in to { $site } as { $email } by following this link:
MAIL_LOGIN_BUTTON = Sign in
MAIL_LOGIN_IGNORE = If you did not ask for it, ignore this message.
MAIL_RESET = Someone (hopefully you) asked to reset the password of { $email }. Choose a new password by following this link:
MAIL_RESET_BUTTON = Choose a new password
MAIL_RESET_IGNORE = If you did not ask, ignore this message: your password has not changed.
MAIL_RESET_NOTICE = The password of { $email } has been reset, and every device signed in to the account has been signed out.
MAIL_CHANGE_NOTICE = The password of { $email } has been changed, and every other device signed in to the account has been signed out.
MAIL_TWO_FACTOR_CODE = Your sign-in code:
MAIL_TWO_FACTOR_USE = Enter it to finish signing in to { $site } as { $email }. It works once, for 5 minutes. If you did not just sign in, someone knows your password: change it now.
MAIL_TWO_FACTOR_NOTICE = Two-factor sign-in for { $email } has changed: { $detail }.
MAIL_TWO_FACTOR_NOTICE_OFF = it was turned off
MAIL_TWO_FACTOR_NOTICE_EMAIL = codes now come by email
MAIL_TWO_FACTOR_NOTICE_AUTHENTICATOR = codes now come from an authenticator app
MAIL_TWO_FACTOR_NOTICE_RECOVERY_CODES = new recovery codes were made, and the earlier ones no longer work
MAIL_TWO_FACTOR_RESCUE = The account { $account } cannot complete its two-factor sign-in at { $site } and asks for help.
MAIL_TWO_FACTOR_RESCUE_CHECK = Check that the request is really theirs before you turn two-factor off for it:
MAIL_CHANGE_EMAIL = Someone asked to move the account { $old } to this address, { $email }. If it was you, confirm the new address by following this link:
MAIL_CHANGE_EMAIL_BUTTON = Confirm my new email address
MAIL_CHANGE_EMAIL_VALID = The link is valid for { $within } and can be used once. Until it is followed, nothing changes. If it was not you, ignore this mail.
MAIL_CHANGE_EMAIL_NOTICE = The email address of your account has been changed from { $email } to { $new }. This address no longer signs in.
MAIL_TAKEN_OVER = If you did not do this, someone else may control your account: contact the site at once:
MAIL_TAKEN_OVER_RESET = If you did not do this, someone else may control your account: reset your password and contact the site at once:
MAIL_USERNAME_RECOVERY = You asked for the username of the account of { $email } at { $site }.
MAIL_USERNAME_IS = Your username is:
MAIL_USERNAME_RECOVERY_END = You can sign in with it or with this email address. If you did not ask, you can ignore this mail: nothing has changed.
MAIL_USERNAME_CHANGED = The username of your account ({ $email }) has been changed to { $username }. The old username no longer signs in.
MAIL_US_CODE = Your code:
MAIL_US_SIGN_IN = Enter it to sign in to { $site } as { $email }, or follow this link:
MAIL_US_VERIFY = Enter it on { $site } to confirm that this address ({ $email }) is yours.
MAIL_US_END = The code works once, for 5 minutes. If you did not ask for it, ignore this message: nothing happens without it.
