# Les messages du starter en français. Les clés sont les noms des messages
# de Flask-Security-Too (SECURITY_MSG_INVALID_PASSWORD → INVALID_PASSWORD)
# quand il en a un, celles du starter sinon. Pour reformuler un message sans
# toucher à ce fichier : [default.security.messages.fr] dans Rocket.toml
# (README → Messages).

## Requêtes illisibles

NOT_A_STRING = Ce n’est pas une chaîne de caractères valide.
NOT_A_LIST = Ce n’est pas une liste valide.
NOT_A_VALID_CHOICE = Ce choix n’est pas valide
BODY_NOT_AN_OBJECT = Le corps de la requête doit être un objet JSON.
BODY_NOT_JSON = Le corps de la requête n’est pas du JSON valide.
BODY_NOT_UTF8 = Le corps de la requête n’est pas de l’UTF-8 valide.
FORM_NOT_UTF8 = Les données du formulaire ne sont pas de l’UTF-8 valide.
BAD_REQUEST = La requête n’a pas pu être comprise.
BODY_TOO_LARGE = Le corps de la requête est trop volumineux.
NOT_FOUND = Introuvable.
METHOD_NOT_ALLOWED = Méthode non autorisée.
SERVER_ERROR = Une erreur s’est produite de notre côté. Veuillez réessayer.
MAIL_FAILED = Nous n’avons pas pu envoyer l’e-mail pour le moment. Veuillez réessayer dans quelques minutes.
CSRF_MISSING = Le jeton CSRF est manquant.
CSRF_INVALID = Le jeton CSRF n’est pas valide.
FORM_EXPIRED = Ce formulaire a expiré. Veuillez réessayer.
INVALID_REDIRECT = Les redirections hors du domaine sont interdites
INVALID_INPUT = La valeur saisie n’est pas valide pour ce champ

## Qui peut demander

UNAUTHENTICATED = Vous devez vous connecter pour voir cette ressource.
UNAUTHORIZED = Vous n’avez pas l’autorisation de voir cette ressource.
REAUTHENTICATION_REQUIRED = Vous devez vous authentifier à nouveau pour accéder à cette page
ANONYMOUS_USER_REQUIRED = Cette page n’est accessible que si vous n’êtes pas connecté.
TOO_MANY_ATTEMPTS = Trop de tentatives. Veuillez patienter un moment avant de réessayer.
TRY_AGAIN_IN_SECONDS = Vous pourrez réessayer dans { $seconds ->
    [one] une seconde
   *[other] { $seconds } secondes
}.
TRY_AGAIN_IN_MINUTES = Vous pourrez réessayer dans { $minutes ->
    [one] une minute
   *[other] { $minutes } minutes
}.
LOGIN_TO_CONTINUE = Veuillez vous connecter pour continuer.

## Identités et mots de passe

EMAIL_NOT_PROVIDED = Adresse e-mail non fournie
INVALID_EMAIL_ADDRESS = Adresse e-mail non valide
EMAIL_ALREADY_ASSOCIATED = { $email } est déjà associée à un compte.
PASSWORD_NOT_PROVIDED = Mot de passe non fourni
PASSWORD_INVALID_LENGTH = Le mot de passe doit comporter au moins { $length } caractères
PASSWORD_TOO_LONG = Le mot de passe doit comporter au plus { $length } caractères
RETYPE_PASSWORD_MISMATCH = Les mots de passe ne correspondent pas
PASSWORD_IS_THE_SAME = Votre nouveau mot de passe doit être différent du précédent.
PASSWORD_TOO_SIMPLE = Mot de passe trop simple
PASSWORD_BREACHED = Ce mot de passe figure dans une liste de mots de passe divulgués
PASSWORD_BREACHED_SITE_ERROR = Impossible de joindre le service des mots de passe divulgués
USERNAME_NOT_PROVIDED = Nom d’utilisateur non fourni
USERNAME_DISALLOWED_CHARACTERS = Le nom d’utilisateur ne peut contenir que des lettres et des chiffres
USERNAME_INVALID_LENGTH = Le nom d’utilisateur doit comporter au moins { $min } caractères et moins de { $max } caractères
USERNAME_ALREADY_ASSOCIATED = { $username } est déjà associé à un compte.

## Connexion

USER_DOES_NOT_EXIST = L’utilisateur indiqué n’existe pas
INVALID_PASSWORD = Mot de passe incorrect
GENERIC_AUTHN_FAILED = Échec de l’authentification : identifiant, mot de passe ou code incorrect
DISABLED_ACCOUNT = Ce compte est désactivé.
CONFIRMATION_REQUIRED = L’adresse e-mail doit être confirmée.
INVALID_LOGIN_TOKEN = Ce lien de connexion a expiré ou a déjà servi.
PASSWORDLESS_LOGIN_SUCCESSFUL = Vous êtes maintenant connecté.
LOGIN_EMAIL_SENT = Si un compte existe pour { $email }, nous lui avons envoyé un lien de connexion.
LOGIN_EXPIRED = Vous ne vous êtes pas connecté dans un délai de { $within }. Nous avons envoyé un nouveau lien de connexion à { $email }.

## Inscription et confirmation

CONFIRM_REGISTRATION = Si { $email } doit encore être confirmée, nous lui avons envoyé un lien de confirmation.
CONFIRMATION_EXPIRED = Vous n’avez pas confirmé votre adresse e-mail dans un délai de { $within }. De nouvelles instructions de confirmation ont été envoyées à { $email }.
INVALID_CONFIRMATION_TOKEN = Ce lien de confirmation a expiré ou n’est pas valide.
ALREADY_CONFIRMED = Votre adresse e-mail est déjà confirmée.
EMAIL_CONFIRMED = Merci. Votre adresse e-mail est confirmée.
EMAIL_CONFIRMED_CHOOSE_PASSWORD = Merci. Votre adresse e-mail est confirmée. Elle l’a été dans un autre navigateur que celui de l’inscription : le mot de passe choisi alors ne fonctionne plus, et nous vous avons envoyé un lien pour en choisir un nouveau.

## Mots de passe : changement et réinitialisation

PASSWORD_CHANGE = Votre mot de passe a bien été changé.
PASSWORD_RESET_REQUEST = Si un compte existe pour { $email }, nous lui avons envoyé un lien pour choisir un nouveau mot de passe.
PASSWORD_RESET_EXPIRED = Vous n’avez pas réinitialisé votre mot de passe dans un délai de { $within }.
INVALID_RESET_PASSWORD_TOKEN = Ce lien de réinitialisation a expiré ou n’est pas valide.
PASSWORD_RESET = Votre mot de passe a bien été réinitialisé, et vous êtes maintenant connecté.
PASSWORD_RESET_NO_LOGIN = Votre mot de passe a bien été réinitialisé. Veuillez vous connecter.

## Sessions

SESSION_REVOKED = La session a été fermée.
DEVICE_ON_SYSTEM = { $browser } sous { $system }
OTHER_SESSIONS_REVOKED = Vous avez été déconnecté partout ailleurs.

## Double authentification et codes de secours

TWO_FACTOR_METHOD_NOT_AVAILABLE = La méthode choisie n’est pas valide
INVALID_CODE = Code incorrect
TWO_FACTOR_SETUP_EXPIRED = La configuration doit être terminée dans un délai de { $within }. Veuillez recommencer.
TWO_FACTOR_DISABLED = La double authentification est désactivée.
TWO_FACTOR_ENABLED = La double authentification est activée.
TWO_FACTOR_HELP_SENT = Nous avons envoyé ce que vous avez demandé.
INVALID_RECOVERY_CODE = Code de secours incorrect

## Changement d’adresse e-mail

CHANGE_EMAIL_SENT = Nous avons envoyé un lien à { $email }. Votre adresse changera quand vous le suivrez ; d’ici là, rien ne change.
CHANGE_EMAIL_CONFIRMED = Changement d’adresse e-mail confirmé
CHANGE_EMAIL_EXPIRED = Ce lien a expiré. Demandez-en un nouveau ci-dessous si vous voulez toujours changer d’adresse.
CHANGE_EMAIL_INVALID = Ce lien a expiré ou a déjà servi.
CHANGE_EMAIL_TAKEN = Cette adresse appartient désormais à un autre compte : votre adresse n’a pas changé.

## Noms d’utilisateur

USERNAME_RECOVERY_REQUEST = Si ce compte existe, votre nom d’utilisateur sera envoyé à votre adresse e-mail.
USERNAME_CHANGE = Votre nom d’utilisateur a bien été changé

## Connexion unifiée

US_SPECIFY_IDENTITY = Vous devez indiquer un identifiant valide pour vous connecter
US_METHOD_NOT_AVAILABLE = La méthode demandée n’est pas valide
INVALID_PASSWORD_CODE = Le mot de passe ou le code saisi n’est pas valide
CODE_HAS_BEEN_SENT = Le code a été envoyé.
GENERIC_US_SIGNIN = Si cet identifiant est connu, un code vous a été envoyé.
US_SETUP_EXPIRED = La configuration doit être terminée dans un délai de { $within }. Veuillez recommencer.
US_SETUP_SUCCESSFUL = Connexion unifiée configurée
US_METHOD_REMOVED = Cette méthode de connexion est désactivée.

## Clés d’accès (WebAuthn)

API_ERROR = Données inappropriées pour cette opération
WEBAUTHN_EXPIRED = Les opérations de clé d’accès doivent être terminées dans un délai de { $within }. Veuillez recommencer.
WEBAUTHN_NAME_REQUIRED = Un nom pour la nouvelle clé d’accès est requis.
WEBAUTHN_NAME_DISALLOWED_CHARACTERS = Le nom d’une clé d’accès ne peut contenir que des lettres, des chiffres et une ponctuation limitée.
INVALID_INPUT_LENGTH = { $max } caractères au plus.
INVALID_USAGE = Ce choix n’est pas valide.
WEBAUTHN_NAME_INUSE = { $name } est déjà le nom d’une clé d’accès.
WEBAUTHN_CREDENTIAL_ID_INUSE = Cette clé d’accès est déjà enregistrée.
WEBAUTHN_NO_VERIFY = Impossible de vérifier la clé d’accès : { $cause }.
WEBAUTHN_REGISTER_SUCCESSFUL = La clé d’accès { $name } a bien été ajoutée
WEBAUTHN_CREDENTIAL_DELETED = La clé d’accès { $name } a bien été supprimée
WEBAUTHN_NAME_NOT_FOUND = Aucune clé d’accès { $name } pour ce compte.
WEBAUTHN_UNKNOWN_CREDENTIAL_ID = Clé d’accès inconnue.
WEBAUTHN_CREDENTIAL_WRONG_USAGE = Cette clé d’accès n’est pas enregistrée pour cet usage (premier ou second facteur)
WEBAUTHN_MISMATCH_USER_HANDLE = L’identifiant d’utilisateur de la clé ne correspond pas
OAUTH_HANDSHAKE_ERROR = Une erreur s’est produite en communiquant avec le fournisseur OAuth : ({ $error } - { $description }). Veuillez réessayer.
OAUTH_EMAIL_NOT_VERIFIED = { $provider } n’a pas vérifié l’adresse e-mail { $email }
OAUTH_ACCOUNT_EXISTS = Un compte existe pour { $email } : connectez-vous puis reliez { $provider } depuis la page de votre compte
IDENTITY_NOT_REGISTERED = L’identité { $email } n’est pas enregistrée
OAUTH_IDENTITY_IN_USE = Ce compte { $provider } est relié à un autre compte
OAUTH_PROVIDER_CONNECTED = { $provider } est déjà relié : déliez-le d’abord
OAUTH_NOT_CONNECTED = { $provider } n’est pas relié à ce compte
OAUTH_LAST_SIGNIN_METHOD = Définissez un mot de passe ou reliez un autre moyen de connexion d’abord
OAUTH_CONNECTED = { $provider } est maintenant relié à votre compte.
OAUTH_DISCONNECTED = { $provider } n’est plus relié à votre compte.
OAUTH_SIGN_IN_WITH = Se connecter avec { $provider }
OAUTH_VERIFY_WITH = Confirmer avec { $provider }
OAUTH_CONNECT = Relier { $provider }
OAUTH_PROVIDER_REQUIRED = Indiquez le fournisseur à délier.
REAUTHENTICATION_SUCCESSFUL = Réauthentification réussie
OAUTH_DISCONNECT = Délier
OAUTH_NO_ACCOUNT_REGISTER = Pas encore de compte ? Inscrivez-vous
PAGE_CONNECTED_PROVIDERS = Fournisseurs de connexion reliés
PAGE_CONNECTED = Relié le
PAGE_PROVIDER = Fournisseur
PAGE_NOT_CONNECTED = non relié
TITLE_CONNECTED_PROVIDERS = Fournisseurs de connexion reliés

PAGE_PASSKEYS = Clés d’accès
PASSKEYS_INTRO = Une clé d’accès vous connecte avec le verrouillage d’écran de votre appareil ou une clé de sécurité, sans saisir de mot de passe. Les clés enregistrées comme second facteur sont demandées après votre mot de passe.
PASSKEYS_NONE = Vous n’avez pas encore de clé d’accès.
PASSKEY_FOLLOW_BROWSER = Suivez les instructions de votre navigateur pour créer la clé d’accès.
PASSKEY_BROWSER_REFUSED = Le navigateur n’a pas créé de clé d’accès. Recommencez ci-dessous si vous le souhaitez.
PASSKEY_NEEDS_SCRIPT = Les clés d’accès ont besoin de JavaScript sur cette page.
PASSKEY_NAME = Nom
PASSKEY_NAME_HINT = Pour distinguer vos clés, par exemple « Portable du bureau » ou « YubiKey ».
PASSKEY_ADDED = Ajoutée
PASSKEY_USAGE_FIRST = Clé d’accès
PASSKEY_USAGE_SECONDARY = Second facteur
PASSKEY_SYNCED = synchronisée
PASSKEY_REMOVE = Supprimer
PASSKEY_ADD = Ajouter une clé d’accès
PASSKEY_USE_FOR = L’utiliser
PASSKEY_USAGE_FIRST_LONG = pour me connecter sans mot de passe
PASSKEY_USAGE_SECONDARY_LONG = comme second facteur après mon mot de passe
PASSKEY_ADD_BUTTON = Ajouter la clé
TITLE_PASSKEY_SIGN_IN = Se connecter avec une clé d’accès
PASSKEY_SIGN_IN_INTRO = Utilisez la clé d’accès de cet appareil, de votre téléphone ou d’une clé de sécurité. Votre adresse e-mail est facultative : sans elle, votre navigateur propose les clés d’accès qu’il a pour ce site.
PASSKEY_SECOND_FACTOR_INTRO = Votre mot de passe est correct. Utilisez maintenant la clé de sécurité ou la clé d’accès enregistrée comme second facteur.
PASSKEY_SIGN_IN_BUTTON = Se connecter avec une clé d’accès
PASSKEY_USE_KEY_BUTTON = Utiliser ma clé
PASSKEY_FOLLOW_BROWSER_GET = Suivez les instructions de votre navigateur pour utiliser votre clé d’accès.
PASSKEY_BROWSER_REFUSED_GET = Le navigateur n’a pas utilisé de clé d’accès. Réessayez, ou connectez-vous autrement.
PASSKEY_VERIFY_BUTTON = Utiliser plutôt une clé d’accès
TITLE_PASSKEYS = Clés d’accès

## Pages : la navigation

NAV_LABEL = Principale
NAV_ACCOUNT = Compte
NAV_SESSIONS = Sessions
NAV_ADMIN = Administration
NAV_SIGN_IN = Se connecter
NAV_SIGN_OUT = Se déconnecter
NAV_REGISTER = Créer un compte

## Pages : connexion et inscription

LOGIN_TITLE = Connexion
REGISTER_TITLE = Créer un compte
LABEL_EMAIL = Adresse e-mail
LABEL_EMAIL_OR_USERNAME = Adresse e-mail ou nom d’utilisateur
LABEL_USERNAME = Nom d’utilisateur
LABEL_OPTIONAL = (facultatif)
LABEL_PASSWORD = Mot de passe
LABEL_PASSWORD_CONFIRM = Répétez le mot de passe
LABEL_REMEMBER = Se souvenir de moi
HINT_PASSWORD_LENGTH = Au moins { $length } caractères.
HINT_USERNAME = De 4 à 32 lettres ou chiffres. Vous pourrez vous connecter avec au lieu de votre adresse e-mail.
HINT_SIGN_IN_LINK = Pas de mot de passe sous la main ? Nous pouvons vous envoyer par e-mail un lien qui vous connecte.
BUTTON_SIGN_IN = Se connecter
BUTTON_SEND_LINK = M’envoyer un lien de connexion
BUTTON_REGISTER = Créer le compte
LINK_FORGOT_PASSWORD = Mot de passe oublié ?
LINK_FORGOT_USERNAME = Nom d’utilisateur oublié ?
LINK_US_SIGNIN = Se connecter plutôt avec un code
LINK_RESEND_CONFIRMATION = Renvoyer la confirmation
LINK_REGISTER = Nouveau ici ? Créez un compte.
LINK_SIGN_IN = Vous avez déjà un compte ? Connectez-vous.

## Pages

US_SIGNIN_INTRO_PASSWORD_OR_CODE = Saisissez votre { $usernames ->
    [true] adresse e-mail ou nom d’utilisateur
   *[other] adresse e-mail
}, puis votre mot de passe, ou demandez un code par e-mail.
US_SIGNIN_INTRO_CODE = Saisissez votre { $usernames ->
    [true] adresse e-mail ou nom d’utilisateur
   *[other] adresse e-mail
}, puis demandez un code par e-mail.
US_SIGNIN_INTRO_PASSWORD = Saisissez votre { $usernames ->
    [true] adresse e-mail ou nom d’utilisateur
   *[other] adresse e-mail
} et votre mot de passe.
US_VERIFY_INTRO_CODE = Cette page demande une connexion récente. Saisissez votre mot de passe, ou un code que nous vous envoyons par e-mail, pour continuer.
ADMIN_INTRO = Seuls les utilisateurs ayant le rôle admin voient cette page.
PAGE_CHANGE_EMAIL_ADDRESS = Changer d’adresse e-mail
PAGE_NEW_EMAIL_ADDRESS = Nouvelle adresse e-mail
PAGE_SEND_THE_CONFIRMATION_LINK = Envoyer le lien de confirmation
PAGE_CHANGE_PASSWORD = Changer de mot de passe
PAGE_CURRENT_PASSWORD = Mot de passe actuel
PAGE_NEW_PASSWORD = Nouveau mot de passe
PAGE_AT_LEAST_CHARACTERS_OTHER_DEVICES = Au moins { $min_length } caractères. Vos autres appareils seront déconnectés.
PAGE_REPEAT_THE_NEW_PASSWORD = Répétez le nouveau mot de passe
PAGE_CHANGE_USERNAME = Changer de nom d’utilisateur
PAGE_CHOOSE_A_USERNAME = Choisir un nom d’utilisateur
PAGE_YOUR_ACCOUNT_HAS_NO_USERNAME = Votre compte n’a pas encore de nom d’utilisateur. Avec un nom, vous pouvez vous connecter sans saisir votre adresse e-mail.
PAGE_NEW_USERNAME = Nouveau nom d’utilisateur
PAGE_TO_LETTERS_OR_DIGITS = De 4 à 32 lettres ou chiffres.
PAGE_SAVE_THE_USERNAME = Enregistrer le nom d’utilisateur
PAGE_BACK_TO_YOUR_ACCOUNT = Retour à votre compte
RESET_INTRO = Saisissez votre adresse e-mail : nous vous enverrons un lien pour choisir un nouveau mot de passe.
PAGE_SEND_THE_LINK = Envoyer le lien
PAGE_BACK_TO_SIGN_IN = Retour à la connexion
PAGE_USE_MY_SECURITY_KEY = Utiliser ma clé d’accès ou ma clé de sécurité
PAGE_USE_A_RECOVERY_CODE = Utiliser un code de secours
PAGE_RECOVERY_CODE = Code de secours
PAGE_RECOVERY_CODES = Codes de secours
PAGE_EACH_CODE_COMPLETES_ONE_SIGN = Chaque code termine une connexion quand vous ne pouvez pas obtenir de code de double authentification. Imprimez-les ou rangez-les en lieu sûr ; en créer de nouveaux annule ceux-ci.
PAGE_YOU_HAVE_NO_UNUSED_RECOVERY = Vous n’avez plus de code de secours inutilisé.
PAGE_MAKE_NEW_CODES = Créer de nouveaux codes
RECOVER_USERNAME_INTRO = Saisissez votre adresse e-mail : nous vous enverrons votre nom d’utilisateur. Vous pouvez aussi vous connecter avec l’adresse e-mail elle-même.
PAGE_SEND_MY_USERNAME = Envoyer mon nom d’utilisateur
PAGE_CHOOSE_A_NEW_PASSWORD = Choisir un nouveau mot de passe
PAGE_AT_LEAST_CHARACTERS_EVERY_DEVICE = Au moins { $min_length } caractères. Tous les appareils connectés à votre compte seront déconnectés.
PAGE_SET_THE_NEW_PASSWORD = Enregistrer le nouveau mot de passe
PAGE_RESEND_CONFIRMATION_INSTRUCTIONS = Renvoyer les instructions de confirmation
PAGE_ENTER_THE_ADDRESS_YOU_REGISTERED = Saisissez l’adresse utilisée à l’inscription : nous vous enverrons un nouveau lien de confirmation.
PAGE_WHERE_YOU_ARE_SIGNED_IN = Où vous êtes connecté
PAGE_EACH_BROWSER_YOU_SIGNED_IN = Chaque navigateur où vous vous êtes connecté, chaque « se souvenir de moi » et chaque jeton d’API d’une application. Fermez ceux que vous ne reconnaissez pas, puis changez de mot de passe.
PAGE_KIND = Type
PAGE_STARTED = Début
PAGE_LAST_USED = Dernière utilisation
PAGE_FROM = Depuis
PAGE_ACTION = Action
PAGE_SESSION = Session
PAGE_THIS_BROWSER = (ce navigateur)
PAGE_UNKNOWN = inconnu
PAGE_END = Fermer
PAGE_SIGN_OUT_EVERYWHERE_ELSE = Se déconnecter partout ailleurs
PAGE_TWO_FACTOR_SIGN_IN = Double authentification
PAGE_SCAN_THIS_CODE_WITH_YOUR = Scannez ce code avec votre application d’authentification, ou saisissez-y la clé. Saisissez ensuite le code à six chiffres qu’elle affiche.
PAGE_KEY = Clé :
TWO_FACTOR_SETUP_CODE_EMAILED = Nous vous avons envoyé un code à six chiffres par e-mail. Saisissez-le pour activer les codes par e-mail.
PAGE_CODE = Code
PAGE_TURN_ON = Activer
PAGE_TWO_FACTOR_SIGN_IN_IS = La double authentification est désactivée. Activez-la, et chaque connexion demandera un code après votre mot de passe.
PAGE_USE_AN_AUTHENTICATOR_APP = Utiliser une application d’authentification
PAGE_ENTER_YOUR_CODE = Saisissez votre code
TWO_FACTOR_CODE_EMAILED = Nous vous avons envoyé un code à six chiffres par e-mail.
PAGE_OPEN_YOUR_AUTHENTICATOR_APP_AND = Ouvrez votre application d’authentification et saisissez le code à six chiffres qu’elle affiche.
PAGE_CANNOT_GET_A_CODE = Impossible d’obtenir un code ?
PAGE_EMAIL_ME_A_CODE = M’envoyer un code par e-mail
PAGE_ASK_FOR_HELP = Demander de l’aide
PAGE_SIGN_IN_METHODS = Méthodes de connexion
PAGE_YOU_CAN_SIGN_IN_WITH = Vous pouvez vous connecter avec :
PAGE_WE_MAILED_A_CODE_TO = Nous avons envoyé un code à votre adresse. Saisissez-le pour activer la connexion par code envoyé par e-mail.
PAGE_TURN_IT_ON = L’activer
PAGE_CODES_BY_MAIL_ARE_ON = Les codes par e-mail sont activés : vous pouvez vous connecter avec un code que nous vous envoyons au lieu de votre mot de passe.
PAGE_TURN_OFF_CODES_BY_MAIL = Désactiver les codes par e-mail
PAGE_SIGN_IN_WITH_A_CODE = Connectez-vous avec un code que nous vous envoyons par e-mail, au lieu de saisir votre mot de passe. Nous allons envoyer un code pour vérifier votre adresse.
PAGE_TURN_ON_CODES_BY_MAIL = Activer les codes par e-mail
PAGE_PASSWORD_OR_CODE = Mot de passe ou code
PAGE_SIGN_IN_WITH_EMAIL_AND = Se connecter avec e-mail et mot de passe
PAGE_NEW_HERE = Nouveau ici ?
PAGE_CONFIRM_IT_IS_YOU = Confirmez que c’est bien vous
PAGE_CONTINUE = Continuer
VERIFY_INTRO = Cette page demande une connexion récente. Saisissez votre mot de passe pour continuer.
PAGE_YOUR_ACCOUNT = Votre compte
PAGE_EMAIL = Adresse e-mail
PAGE_NONE = aucun
PAGE_ROLES = Rôles
PAGE_SIGN_INS = Connexions
PAGE_THIS_SIGN_IN = Cette connexion
PAGE_NOT_RECORDED = non enregistrée
PAGE_PREVIOUS_SIGN_IN = Connexion précédente
PAGE_HELLO = Bonjour, { $email }
PAGE_YOU_ARE_SIGNED_IN = Vous êtes connecté.
PAGE_WELCOME = Bienvenue
PAGE_THIS_APPLICATION_COMES_WITH_SIGN = Cette application est livrée avec une connexion faite comme il faut.
PAGE_ADMINISTRATION = Administration
PAGE_ACTIVE = Actif
PAGE_YES = oui
PAGE_NO = non
PAGE_BACK_TO_THE_HOME_PAGE = Retour à l’accueil
PAGE_FROM_IP = depuis { $ip }
CHANGE_EMAIL_INTRO = Votre compte utilise { $email }. Nous enverrons un lien à la nouvelle adresse ; le changement a lieu quand vous le suivez, et nous prévenons ensuite l’adresse actuelle.
CHANGE_USERNAME_INTRO = Votre nom d’utilisateur est { $username }. Après le changement, seul le nouveau permet de se connecter ; nous préviendrons votre adresse e-mail.
CHECK_INBOX_TITLE = Consultez votre boîte de réception
CHECK_INBOX_SENT = Nous avons envoyé un lien de confirmation à { $email }. Suivez-le pour terminer la création de votre compte.
CHECK_INBOX_RESEND = Pas d’e-mail après quelques minutes ? Regardez dans vos indésirables, ou renvoyez le lien.
CHECK_INBOX_BUTTON = Renvoyer le lien
INDEX_GO_TO_ACCOUNT = Votre compte
TWO_FACTOR_REQUIRED_INTRO = Ce compte exige la double authentification. Choisissez comment recevoir vos codes ; la configuration termine votre connexion.
TWO_FACTOR_ON_EMAIL = La double authentification est activée : les codes arrivent par e-mail.
TWO_FACTOR_ON_AUTHENTICATOR = La double authentification est activée : les codes viennent de votre application d’authentification.
BUTTON_TWO_FACTOR_OFF = Désactiver la double authentification
BUTTON_TWO_FACTOR_EMAIL = Recevoir les codes par e-mail
RECOVERY_CODES_HINT = Les codes de secours terminent une connexion quand vous ne pouvez pas obtenir de code.
LINK_RECOVERY_CODES = Voir vos codes de secours
SESSION_KIND_REMEMBER = Appareil mémorisé
SESSION_KIND_API = Jeton d’API
SESSION_KIND_SESSION_REMEMBERED = Session, mémorisée

## Pages : le compte

HUB_CHANGE = Changer
HUB_MANAGE = Gérer
HUB_SET_UP = Configurer
HUB_REVIEW = Consulter
HUB_ON = Activée
HUB_OFF = Désactivée
HUB_PASSWORD_STATE = Défini. Le changer déconnecte vos autres appareils.
HUB_TWO_FACTOR_EMAIL = codes par e-mail
HUB_TWO_FACTOR_AUTHENTICATOR = codes d’une application d’authentification
HUB_RECOVERY_CODES_LEFT = { $count ->
    [0] Plus aucun code inutilisé
    [one] 1 code inutilisé
   *[other] { $count } codes inutilisés
}
HUB_PASSKEYS = { $count ->
    [0] Aucune pour l’instant
    [one] 1 clé d’accès
   *[other] { $count } clés d’accès
}
HUB_METHOD_PASSWORD = mot de passe
HUB_METHOD_EMAIL = codes par e-mail
HUB_METHOD_AUTHENTICATOR = application d’authentification
HUB_SIGN_INS_ACTIVE = { $count ->
    [one] { $count } connexion active
   *[other] { $count } connexions actives
}

## Titres des pages

TITLE_HOME = Accueil
TITLE_ACCOUNT = Votre compte
TITLE_ADMIN = Administration
TITLE_ERROR = { $status ->
    [400] Requête incorrecte
    [401] Non authentifié
    [403] Accès refusé
    [404] Page introuvable
    [405] Méthode non autorisée
    [413] Requête trop volumineuse
    [422] Requête impossible à traiter
    [429] Trop de requêtes
   *[other] Une erreur s’est produite
}
TITLE_CHANGE_EMAIL_ADDRESS = Changer d’adresse e-mail
TITLE_CHANGE_PASSWORD = Changer de mot de passe
TITLE_CHANGE_USERNAME = Changer de nom d’utilisateur
TITLE_CHOOSE_A_NEW_PASSWORD = Choisir un nouveau mot de passe
TITLE_CONFIRM_IT_IS_YOU = Confirmez que c’est bien vous
TITLE_ENTER_YOUR_CODE = Saisissez votre code
TITLE_FORGOT_YOUR_PASSWORD = Mot de passe oublié ?
TITLE_FORGOT_YOUR_USERNAME = Nom d’utilisateur oublié ?
TITLE_RECOVERY_CODES = Codes de secours
TITLE_RESEND_CONFIRMATION_INSTRUCTIONS = Renvoyer les instructions de confirmation
TITLE_SIGN_IN = Connexion
TITLE_SIGN_IN_METHODS = Méthodes de connexion
TITLE_TWO_FACTOR_SIGN_IN = Double authentification
TITLE_USE_A_RECOVERY_CODE = Utiliser un code de secours
TITLE_WHERE_YOU_ARE_SIGNED_IN = Où vous êtes connecté

## Durées (validité des liens et des codes)

DURATION = { $unit ->
    [day] { $count ->
        [one] { $count } jour
       *[other] { $count } jours
    }
    [hour] { $count ->
        [one] { $count } heure
       *[other] { $count } heures
    }
    [minute] { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
    [second] { $count ->
        [one] { $count } seconde
       *[other] { $count } secondes
    }
   *[ms] { $count } ms
}

## Objets des e-mails

EMAIL_SUBJECT_REGISTER = Bienvenue
EMAIL_SUBJECT_REGISTER_EXISTING = Vous avez déjà un compte
EMAIL_SUBJECT_CONFIRM = Veuillez confirmer votre adresse e-mail
EMAIL_SUBJECT_PASSWORD_RESET = Réinitialisation de votre mot de passe
EMAIL_SUBJECT_PASSWORD_NOTICE = Votre mot de passe a été réinitialisé
EMAIL_SUBJECT_PASSWORD_CHANGE_NOTICE = Votre mot de passe a été changé
EMAIL_SUBJECT_PASSWORDLESS = Instructions de connexion
EMAIL_SUBJECT_TWO_FACTOR = Code de connexion
EMAIL_SUBJECT_TWO_FACTOR_RESCUE = Aide pour la double authentification
EMAIL_SUBJECT_TWO_FACTOR_NOTICE = Votre double authentification a changé
EMAIL_SUBJECT_CHANGE_EMAIL = Confirmez votre nouvelle adresse e-mail
EMAIL_SUBJECT_CHANGE_EMAIL_NOTICE = Votre adresse e-mail a été changée
EMAIL_SUBJECT_USERNAME_RECOVERY = Votre nom d’utilisateur
EMAIL_SUBJECT_USERNAME_CHANGE = Votre nom d’utilisateur a été changé
EMAIL_SUBJECT_US = Code de vérification

## Corps des e-mails (templates/mail/security/email/)

MAIL_HELLO = Bonjour { $email },
MAIL_PASTE_LINK = Ou collez ce lien dans votre navigateur :
MAIL_LINK_VALID = Le lien est valable { $within }.
MAIL_LINK_VALID_ONCE = Le lien est valable { $within } et ne sert qu’une fois.
MAIL_NOT_YOU_RESET = Si ce n’était pas vous, réinitialisez votre mot de passe maintenant :
MAIL_NOT_YOU_CONTACT = Si ce n’était pas vous, contactez le site sans attendre :
MAIL_WELCOME = Bienvenue { $email } !
MAIL_WELCOME_CONFIRM = Veuillez confirmer votre adresse e-mail en suivant ce lien :
MAIL_WELCOME_BUTTON = Confirmer mon compte
MAIL_WELCOME_READY = Votre compte est prêt :
MAIL_WELCOME_EXISTING = Quelqu’un (vous, espérons-le) a essayé de créer un compte avec cette adresse, mais elle en a déjà un. Si c’était vous, connectez-vous plutôt, ou réinitialisez votre mot de passe :
MAIL_WELCOME_EXISTING_IGNORE = Si ce n’était pas vous, vous pouvez ignorer ce message : rien n’a changé.
MAIL_CONFIRM = Veuillez confirmer votre adresse e-mail { $email } en suivant ce lien :
MAIL_CONFIRM_BUTTON = Confirmer mon adresse
MAIL_LOGIN = Connectez-vous à { $site } en tant que { $email } en suivant ce lien :
MAIL_LOGIN_BUTTON = Se connecter
MAIL_LOGIN_IGNORE = Si vous ne l’avez pas demandé, ignorez ce message.
MAIL_RESET = Quelqu’un (vous, espérons-le) a demandé à réinitialiser le mot de passe de { $email }. Choisissez un nouveau mot de passe en suivant ce lien :
MAIL_RESET_BUTTON = Choisir un nouveau mot de passe
MAIL_RESET_IGNORE = Si vous ne l’avez pas demandé, ignorez ce message : votre mot de passe n’a pas changé.
MAIL_RESET_NOTICE = Le mot de passe de { $email } a été réinitialisé, et tous les appareils connectés au compte ont été déconnectés.
MAIL_CHANGE_NOTICE = Le mot de passe de { $email } a été changé, et tous les autres appareils connectés au compte ont été déconnectés.
MAIL_TWO_FACTOR_CODE = Votre code de connexion :
MAIL_TWO_FACTOR_USE = Saisissez-le pour terminer votre connexion à { $site } en tant que { $email }. Il ne sert qu’une fois, pendant 5 minutes. Si vous ne venez pas de vous connecter, quelqu’un connaît votre mot de passe : changez-le maintenant.
MAIL_TWO_FACTOR_NOTICE = La double authentification de { $email } a changé : { $detail }.
MAIL_TWO_FACTOR_NOTICE_OFF = elle a été désactivée
MAIL_TWO_FACTOR_NOTICE_EMAIL = les codes arrivent désormais par e-mail
MAIL_TWO_FACTOR_NOTICE_AUTHENTICATOR = les codes viennent désormais d’une application d’authentification
MAIL_TWO_FACTOR_NOTICE_RECOVERY_CODES = de nouveaux codes de secours ont été créés, et les précédents ne fonctionnent plus
MAIL_TWO_FACTOR_RESCUE = Le compte { $account } ne parvient pas à terminer sa double authentification sur { $site } et demande de l’aide.
MAIL_TWO_FACTOR_RESCUE_CHECK = Vérifiez que la demande vient bien de cette personne avant de désactiver sa double authentification :
MAIL_CHANGE_EMAIL = Quelqu’un a demandé à déplacer le compte { $old } vers cette adresse, { $email }. Si c’était vous, confirmez la nouvelle adresse en suivant ce lien :
MAIL_CHANGE_EMAIL_BUTTON = Confirmer ma nouvelle adresse
MAIL_CHANGE_EMAIL_VALID = Le lien est valable { $within } et ne sert qu’une fois. Tant qu’il n’est pas suivi, rien ne change. Si ce n’était pas vous, ignorez ce message.
MAIL_CHANGE_EMAIL_NOTICE = L’adresse e-mail de votre compte est passée de { $email } à { $new }. Cette adresse ne permet plus de se connecter.
MAIL_TAKEN_OVER = Si ce n’était pas vous, quelqu’un d’autre contrôle peut-être votre compte : contactez le site sans attendre :
MAIL_TAKEN_OVER_RESET = Si ce n’était pas vous, quelqu’un d’autre contrôle peut-être votre compte : réinitialisez votre mot de passe et contactez le site sans attendre :
MAIL_USERNAME_RECOVERY = Vous avez demandé le nom d’utilisateur du compte de { $email } sur { $site }.
MAIL_USERNAME_IS = Votre nom d’utilisateur est :
MAIL_USERNAME_RECOVERY_END = Vous pouvez vous connecter avec lui ou avec cette adresse e-mail. Si vous ne l’avez pas demandé, vous pouvez ignorer ce message : rien n’a changé.
MAIL_USERNAME_CHANGED = Le nom d’utilisateur de votre compte ({ $email }) est devenu { $username }. L’ancien ne permet plus de se connecter.
MAIL_US_CODE = Votre code :
MAIL_US_SIGN_IN = Saisissez-le pour vous connecter à { $site } en tant que { $email }, ou suivez ce lien :
MAIL_US_VERIFY = Saisissez-le sur { $site } pour confirmer que cette adresse ({ $email }) est bien la vôtre.
MAIL_US_END = Le code ne sert qu’une fois, pendant 5 minutes. Si vous ne l’avez pas demandé, ignorez ce message : rien ne se passe sans lui.
