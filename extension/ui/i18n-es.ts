// Spanish. Keys are the English strings used in the UI.
export const es: Record<string, string> = {
  '4 to 12 digits': 'de 4 a 12 cifras',
  'Add a passkey': 'Añadir una llave de acceso',
  'Add item (Alt+N)': 'Añadir elemento (Alt+N)',
  'Add website': 'Añadir sitio web',
  Address: 'Dirección',
  'Address 2': 'Dirección 2',
  'All items': 'Todos los elementos',
  'An account with this email already exists.': 'Ya existe una cuenta con este correo.',
  'Authenticator key (TOTP)': 'Clave de autenticación (TOTP)',
  Brand: 'Marca',
  'Browser default': 'El del navegador',
  Cancel: 'Cancelar',
  'Card number': 'Número de tarjeta',
  'Cardholder name': 'Titular',
  Cards: 'Tarjetas',
  Change: 'Cambiar',
  'Change master password': 'Cambiar la contraseña maestra',
  'Checking passwords… {n}%': 'Revisando contraseñas… {n} %',
  'Checking the server…': 'Comprobando el servidor…',
  City: 'Ciudad',
  Company: 'Empresa',
  'Confirm master password': 'Confirma la contraseña maestra',
  Conflicts: 'Conflictos',
  'Conflicts to review': 'Conflictos por revisar',
  'Copied — clears in 30 s': 'Copiado: se borra en 30 s',
  Copy: 'Copiar',
  'Copy TOTP': 'Copiar código TOTP',
  'Copy password': 'Copiar contraseña',
  'Copy username': 'Copiar usuario',
  Country: 'País',
  'Create account': 'Crear cuenta',
  Current: 'Actual',
  'Current master password': 'Contraseña maestra actual',
  'Delete forever': 'Eliminar para siempre',
  'Deriving your key (Argon2id, 64 MiB)… this takes a second.':
    'Derivando tu clave (Argon2id, 64 MiB)… tarda un segundo.',
  'Devices and sessions': 'Dispositivos y sesiones',
  Edit: 'Editar',
  'Edit item': 'Editar elemento',
  'Edits are kept here and sent when the server is back.':
    'Los cambios se guardan aquí y se envían cuando vuelva el servidor.',
  Email: 'Correo',
  'Empty trash': 'Vaciar la papelera',
  'End-to-end encrypted. Works offline. Your server.':
    'Cifrado de extremo a extremo. Funciona sin conexión. Tu servidor.',
  'Expiry month': 'Mes de caducidad',
  'Expiry year': 'Año de caducidad',
  Fair: 'Aceptable',
  Favourite: 'Favorito',
  Favourites: 'Favoritos',
  'First name': 'Nombre de pila',
  Folder: 'Carpeta',
  'Folder name': 'Nombre de la carpeta',
  Folders: 'Carpetas',
  'For this site': 'Para este sitio',
  'Generate a password (Alt+G)': 'Generar una contraseña (Alt+G)',
  Generator: 'Generador',
  'Get started': 'Empezar',
  Hide: 'Ocultar',
  Identities: 'Identidades',
  Item: 'Elemento',
  Items: 'Elementos',
  'Keep both': 'Conservar ambos',
  'Keep current': 'Conservar el actual',
  Language: 'Idioma',
  'Last name': 'Apellidos',
  Length: 'Longitud',
  'Licence number': 'Número de permiso de conducir',
  Lock: 'Bloquear',
  'Lock (Alt+L)': 'Bloquear (Alt+L)',
  'Lock after': 'Bloquear tras',
  'Lock when the computer is idle or locked': 'Bloquear si el equipo está inactivo o bloqueado',
  Logins: 'Inicios de sesión',
  'Master password': 'Contraseña maestra',
  'Master password changed. Other devices must sign in again.':
    'Contraseña maestra cambiada. Los demás dispositivos deben volver a iniciar sesión.',
  Match: 'Coincidencia',
  'Middle name': 'Segundo nombre',
  'Move to trash': 'Mover a la papelera',
  Name: 'Nombre',
  'National ID': 'Documento de identidad',
  Never: 'Nunca',
  'New PIN': 'PIN nuevo',
  'New folder': 'Carpeta nueva',
  'New item': 'Elemento nuevo',
  'New master password': 'Contraseña maestra nueva',
  'New password copied — clears in 30 s': 'Contraseña nueva copiada: se borra en 30 s',
  'New {type}': 'Nuevo: {type}',
  'No folder': 'Sin carpeta',
  'No items match.': 'Ningún elemento coincide.',
  'No weak or reused passwords. Well done.': 'Ninguna contraseña débil ni repetida. ¡Bien hecho!',
  Notes: 'Notas',
  'Nothing here yet.': 'Aún no hay nada aquí.',
  'Nothing to copy': 'Nada que copiar',
  'Offline · {n, plural, one {# pending} other {# pending}}':
    'Sin conexión · {n, plural, one {# pendiente} other {# pendientes}}',
  'Open vault': 'Abrir la bóveda',
  'Opening your vault…': 'Abriendo tu bóveda…',
  'PIN removed.': 'PIN eliminado.',
  'PIN set. 5 wrong tries erase it.': 'PIN establecido. 5 intentos fallidos lo borran.',
  'Passkey added: you can unlock with it, even offline.':
    'Llave de acceso añadida: puedes desbloquear con ella, incluso sin conexión.',
  'Passkey on this device': 'Llave de acceso de este dispositivo',
  'Passkey removed.': 'Llave de acceso eliminada.',
  Passkeys: 'Llaves de acceso',
  Passphrase: 'Frase de contraseña',
  'Passport number': 'Número de pasaporte',
  Password: 'Contraseña',
  'Password history ({n})': 'Historial de contraseñas ({n})',
  'Password report': 'Informe de contraseñas',
  Phone: 'Teléfono',
  'Postal code': 'Código postal',
  Problem: 'Problema',
  Regenerate: 'Generar otra',
  Remove: 'Quitar',
  'Remove PIN': 'Quitar el PIN',
  'Repeat new master password': 'Repite la contraseña maestra nueva',
  Restore: 'Restaurar',
  'Reused in {n, plural, one {# other item} other {# other items}}':
    'Repetida en {n, plural, one {# elemento más} other {# elementos más}}',
  Save: 'Guardar',
  Search: 'Buscar',
  'Search {n, plural, one {# item} other {# items}}':
    'Buscar en {n, plural, one {# elemento} other {# elementos}}',
  'Secure notes': 'Notas seguras',
  'Security code': 'Código de seguridad',
  'Select an item, or press Alt+N to add one.': 'Elige un elemento o pulsa Alt+N para añadir uno.',
  Server: 'Servidor',
  'Sessions are shown when the server is reachable.':
    'Las sesiones se muestran cuando el servidor está disponible.',
  'Set PIN': 'Establecer PIN',
  'Set up Cofre to keep your passwords safe and in sync.':
    'Configura Cofre para tener tus contraseñas seguras y sincronizadas.',
  Settings: 'Ajustes',
  Show: 'Mostrar',
  'Showing {a} of {b}: refine the search.': 'Se muestran {a} de {b}: afina la búsqueda.',
  'Sign in': 'Iniciar sesión',
  'Sign in again': 'Volver a iniciar sesión',
  'Your edits are kept on this device. Sign in again to sync them.':
    'Tus cambios se guardan en este dispositivo. Vuelve a iniciar sesión para sincronizarlos.',
  'That is a different account: sign out first to switch.':
    'Es otra cuenta: cierra la sesión antes de cambiar.',
  'Sign in with a passkey': 'Iniciar sesión con llave de acceso',
  'Sign out and remove local data': 'Cerrar sesión y borrar los datos locales',
  'Something went wrong. Try again.': 'Algo salió mal. Inténtalo de nuevo.',
  'State / province': 'Provincia',
  Strong: 'Fuerte',
  'Sync error': 'Error de sincronización',
  'Sync failed; retrying.': 'La sincronización falló; reintentando.',
  'Sync now': 'Sincronizar ahora',
  Synced: 'Sincronizado',
  'Syncing…': 'Sincronizando…',
  'Syncing… {n, plural, one {# item} other {# items}}':
    'Sincronizando… {n, plural, one {# elemento} other {# elementos}}',
  'The passwords do not match.': 'Las contraseñas no coinciden.',
  'The server at {url} cannot be reached. Is it running? (npm start)':
    'No se puede conectar con el servidor {url}. ¿Está en marcha? (npm start)',
  'The server cannot be reached. Check the address and your connection.':
    'No se puede conectar con el servidor. Revisa la dirección y tu conexión.',
  'The server ended this session: sign in again.':
    'El servidor cerró esta sesión: vuelve a iniciar sesión.',
  'The server is busy; retrying.': 'El servidor está ocupado; reintentando.',
  'The server sent data that failed verification; it was refused.':
    'El servidor envió datos que no superaron la verificación; se rechazaron.',
  'This device': 'Este dispositivo',
  'Lock when the browser restarts': 'Bloquear al reiniciar el navegador',
  'The unlocked key is kept sealed by a key this browser profile cannot export; anyone with this profile can open the vault until it locks.':
    'La clave desbloqueada se guarda sellada con una clave que este perfil no puede exportar; quien tenga este perfil puede abrir la bóveda hasta que se bloquee.',
  Title: 'Tratamiento',
  'Too many attempts: wait a few minutes and try again.':
    'Demasiados intentos: espera unos minutos y vuelve a intentarlo.',
  Trash: 'Papelera',
  Unfavourite: 'Quitar de favoritos',
  Unlock: 'Desbloquear',
  'Unlock with passkey': 'Desbloquear con llave de acceso',
  'Unlocking…': 'Desbloqueando…',
  'Updated {date}': 'Actualizado el {date}',
  'Use PIN': 'Usar PIN',
  'Use master password': 'Usar la contraseña maestra',
  'Use other': 'Usar el otro',
  'Use passkey': 'Usar llave de acceso',
  Username: 'Usuario',
  Vault: 'Bóveda',
  'Vault locked': 'Bóveda bloqueada',
  'Very strong': 'Muy fuerte',
  'Very weak': 'Muy débil',
  'Waiting for your passkey…': 'Esperando tu llave de acceso…',
  Weak: 'Débil',
  Website: 'Sitio web',
  Websites: 'Sitios web',
  Words: 'Palabras',
  'Wrong email or password.': 'Correo o contraseña incorrectos.',
  'Wrong master password.': 'Contraseña maestra incorrecta.',
  'Your vault is empty.': 'Tu bóveda está vacía.',
  'crack time': 'tiempo para descifrarla',
  'no PRF': 'sin PRF',
  'this device': 'este dispositivo',
  'unlocks this device': 'desbloquea este dispositivo',
  'whole item': 'elemento completo',
  '{n} bits of entropy': '{n} bits de entropía',
  '{n, plural, one {# pending} other {# pending}}':
    '{n, plural, one {# pendiente} other {# pendientes}}',
  login: 'inicio de sesión',
  note: 'nota',
  card: 'tarjeta',
  identity: 'identidad',
  // Autofill
  'Cofre did not fill: the menu was not fully visible.':
    'Cofre no ha rellenado: el menú no se veía entero.',
  'Cofre did not save: the prompt was not fully visible.':
    'Cofre no ha guardado: el aviso no se veía entero.',
  'This form is in a frame from {frame}, inside {top}. Fill it there?':
    'Este formulario está en un marco de {frame}, dentro de {top}. ¿Rellenarlo ahí?',
  '{origin} is not secure (http). Fill it anyway?':
    '{origin} no es seguro (http). ¿Rellenar de todos modos?',
  'Ask for the master password before filling a card, unless the vault was unlocked in the last 5 minutes':
    'Pedir la contraseña maestra antes de rellenar una tarjeta, salvo si la bóveda se desbloqueó en los últimos 5 minutos',
  'Enter your master password to fill “{name}”.':
    'Escribe tu contraseña maestra para rellenar «{name}».',
  'Set up Cofre first.': 'Configura Cofre primero.',
  'The server is unavailable for a moment: try again shortly.':
    'El servidor no está disponible por un momento: inténtalo de nuevo en breve.',
  'Cofre did not fill: the field is hidden or covered.':
    'Cofre no ha rellenado: el campo está oculto o tapado.',
  'another site': 'otro sitio',
  Fill: 'Rellenar',
  'Fill (Alt+F)': 'Rellenar (Alt+F)',
  'Cofre is locked.': 'Cofre está bloqueado.',
  'One-time code': 'Código de un solo uso',
  '(no username)': '(sin usuario)',
  'asks first': 'pregunta antes',
  'Update the password for {name}?': '¿Actualizar la contraseña de {name}?',
  'Save this login for {site}?': '¿Guardar este acceso para {site}?',
  Update: 'Actualizar',
  'Never for this site': 'Nunca en este sitio',
  'Not now': 'Ahora no',
  'Nothing was filled on this page.': 'No se ha rellenado nada en esta página.',
  '↑↓ select · Alt+F fill · Enter copy password · Shift+Enter username · Alt+T code':
    '↑↓ elegir · Alt+F rellenar · Intro copiar contraseña · Mayús+Intro usuario · Alt+T código',
  'Sites that never ask to save': 'Sitios que nunca piden guardar',
  'No site yet.': 'Ningún sitio todavía.',
  'Equivalent domains': 'Dominios equivalentes',
  'One group per line, domains separated by commas (e.g. example.com, example.net).':
    'Un grupo por línea, dominios separados por comas (p. ej. example.com, example.net).',
  'Save domains': 'Guardar dominios',
  Autofill: 'Autorrelleno',
  '{n} more: search in the Cofre popup.': '{n} más: busca en la ventana de Cofre.',
  'Use a strong password': 'Usar una contraseña robusta',
  'Key derivation': 'Derivación de clave',
  'Keep the current setting': 'Mantener el ajuste actual',
  'Standard: 64 MiB, 3 passes': 'Estándar: 64 MiB, 3 pasadas',
  'Strong: 128 MiB, 4 passes (about 2× slower unlock)':
    'Fuerte: 128 MiB, 4 pasadas (desbloqueo unas 2× más lento)',
  'Strongest: 256 MiB, 4 passes (about 4× slower unlock)':
    'Máxima: 256 MiB, 4 pasadas (desbloqueo unas 4× más lento)',
  'Rotate account key': 'Rotar la clave de la cuenta',
  'Makes a new key for the whole vault and re-encrypts every item with it. Do this if a recovery kit or a device may be in the wrong hands. Other devices are signed out; the PIN and passkey unlock must be set up again.':
    'Crea una clave nueva para toda la bóveda y vuelve a cifrar cada elemento con ella. Hazlo si un kit de recuperación o un dispositivo pueden estar en malas manos. Los demás dispositivos cierran sesión; el PIN y el desbloqueo con passkey deben configurarse de nuevo.',
  'Master password to rotate the account key':
    'Contraseña maestra para rotar la clave de la cuenta',
  'Rotate key': 'Rotar clave',
  'Re-encrypting: {done} of {total} items': 'Volviendo a cifrar: {done} de {total} elementos',
  'New account key made. Every item is being re-encrypted; other devices must sign in again.':
    'Nueva clave de cuenta creada. Cada elemento se está volviendo a cifrar; los demás dispositivos deben iniciar sesión de nuevo.',
  'Import and export': 'Importar y exportar',
  Import: 'Importar',
  Export: 'Exportar',
  'From Bitwarden (JSON, also password-protected, or CSV), 1Password (1PUX, or CSV of 1Password 7 or 8), LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePassXC, Apple Passwords or Safari, Chrome, Edge, Brave, Opera, Vivaldi (their exports are Chrome’s) or Firefox (CSV), KeePass 2 (XML), a Credential Exchange (CXF) file, or a Cofre export. The file is read here; only the items go into your vault.':
    'De Bitwarden (JSON, también protegido con contraseña, o CSV), 1Password (1PUX, o CSV de 1Password 7 u 8), LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePassXC, Contraseñas de Apple o Safari, Chrome, Edge, Brave, Opera, Vivaldi (sus exportaciones son las de Chrome) o Firefox (CSV), KeePass 2 (XML), un archivo Credential Exchange (CXF) o una exportación de Cofre. El archivo se lee aquí; solo los elementos entran en tu bóveda.',
  'File to import': 'Archivo a importar',
  'Password of the export file': 'Contraseña del archivo exportado',
  'Read file': 'Leer archivo',
  'Import preview': 'Vista previa de la importación',
  '{n, plural, one {# item} other {# items}} to import':
    '{n, plural, one {# elemento} other {# elementos}} para importar',
  'Skip {n, plural, one {# item} other {# items}} already in the vault':
    'Omitir {n, plural, one {# elemento que ya está} other {# elementos que ya están}} en la bóveda',
  'Import {n, plural, one {# item} other {# items}}':
    'Importar {n, plural, one {# elemento} other {# elementos}}',
  'Importing: {done} of {total}': 'Importando: {done} de {total}',
  'Imported {n, plural, one {# item} other {# items}}':
    '{n, plural, one {Importado # elemento} other {Importados # elementos}}',
  '{n, plural, one {# new folder} other {# new folders}}':
    '{n, plural, one {# carpeta nueva} other {# carpetas nuevas}}',
  '{n, plural, one {# duplicate} other {# duplicates}}':
    '{n, plural, one {# duplicado} other {# duplicados}}',
  skipped: 'omitidos',
  'imported anyway': 'importados igualmente',
  '{n, plural, one {# left out} other {# left out}}':
    '{n, plural, one {# descartado} other {# descartados}}',
  '{n, plural, one {# left out} other {# left out}}, and why':
    '{n, plural, one {# descartado} other {# descartados}}, y por qué',
  Format: 'Formato',
  'Cofre JSON, protected by a password (recommended)':
    'JSON de Cofre, protegido con contraseña (recomendado)',
  'Bitwarden JSON (not encrypted)': 'JSON de Bitwarden (sin cifrar)',
  'CSV (not encrypted; logins and notes)': 'CSV (sin cifrar; accesos y notas)',
  'Master password to export': 'Contraseña maestra para exportar',
  'A password for the file (at least 10 characters)':
    'Una contraseña para el archivo (al menos 10 caracteres)',
  'Password for the export file': 'Contraseña para el archivo exportado',
  'This file will hold every password in plain text. Anyone who gets it, or any app that can read your downloads, can read them all. Import it where you need it, then delete it.':
    'Este archivo tendrá todas las contraseñas en texto plano. Cualquiera que lo obtenga, o cualquier aplicación que pueda leer tus descargas, podrá leerlas todas. Impórtalo donde lo necesites y luego bórralo.',
  'I understand: the file is not encrypted': 'Entiendo: el archivo no está cifrado',
  'Exported {n, plural, one {# item} other {# items}} to {file}.':
    '{n, plural, one {Exportado # elemento} other {Exportados # elementos}} a {file}.',
  '{n, plural, one {# card or identity is} other {# cards and identities are}} not in a CSV.':
    '{n, plural, one {# tarjeta o identidad no cabe} other {# tarjetas e identidades no caben}} en un CSV.',
  'Recovery kit': 'Kit de recuperación',
  'Recovery kits': 'Kits de recuperación',
  'If you forget the master password, any {k} of the {n} shares of a kit rebuild your vault’s key on a new device, and you choose a new password. Fewer shares reveal nothing. Keep them apart: with a family member, a safe, a lawyer.':
    'Si olvidas la contraseña maestra, {k} cualesquiera de las {n} partes de un kit reconstruyen la clave de tu bóveda en un dispositivo nuevo, y eliges una contraseña nueva. Menos partes no revelan nada. Guárdalas por separado: con un familiar, en una caja fuerte, con un abogado.',
  'Shares needed': 'Partes necesarias',
  of: 'de',
  'Master password to make a recovery kit': 'Contraseña maestra para crear un kit de recuperación',
  'Make a recovery kit': 'Crear un kit de recuperación',
  'Recovery kit made: print the sheet, cut it, and give each share to a different person or place.':
    'Kit de recuperación creado: imprime la hoja, recórtala y da cada parte a una persona o lugar distinto.',
  '{k} of {n} shares, made {date}': '{k} de {n} partes, creado el {date}',
  'used {date}': 'usado el {date}',
  'To revoke kits, rotate the account key below: every existing kit stops working.':
    'Para revocar kits, rota la clave de la cuenta más abajo: todos los kits existentes dejan de funcionar.',
  'Emergency sheet': 'Hoja de emergencia',
  'Print the sheet': 'Imprimir la hoja',
  Done: 'Hecho',
  'Cofre recovery share {i} of {n}': 'Parte de recuperación de Cofre {i} de {n}',
  Account: 'Cuenta',
  'With {k} different shares of this kit, open Cofre on a new device, choose “Recover with a kit”, and type the shares (or scan the QR codes with a phone and paste the text). Made {date}.':
    'Con {k} partes distintas de este kit, abre Cofre en un dispositivo nuevo, elige «Recuperar con un kit» y escribe las partes (o escanea los códigos QR con un teléfono y pega el texto). Creado el {date}.',
  'QR code of share {i}': 'Código QR de la parte {i}',
  'Recover with a kit': 'Recuperar con un kit',
  'Recovery shares: one per line, as printed on the sheets':
    'Partes de recuperación: una por línea, tal como están impresas',
  'Recover my vault': 'Recuperar mi bóveda',
  'Rebuilding your key and setting the new master password…':
    'Reconstruyendo tu clave y fijando la nueva contraseña maestra…',
  'The server sent {n} items that failed their check. They were set aside: this device kept its own copies.':
    'El servidor envió {n} elementos que no pasaron la comprobación. Se apartaron: este dispositivo conservó sus propias copias.',
  'The server may be hiding or rolling back items: this vault ({ours} items) differs from the one another device sealed at {at} ({theirs} items).':
    'Puede que el servidor esté ocultando elementos o devolviendo versiones antiguas: esta bóveda ({ours} elementos) no coincide con la que otro dispositivo selló el {at} ({theirs} elementos).',
  'The server did not answer in time; the next sync tries again.':
    'El servidor no respondió a tiempo; la próxima sincronización lo intentará de nuevo.',
  'The server’s answers went nowhere, so the sync stopped; the next one tries again.':
    'Las respuestas del servidor no avanzaban, así que la sincronización se detuvo; la próxima lo intentará de nuevo.',
  'The server sent many items that failed their check: they were set aside, and the sync stopped.':
    'El servidor envió muchos elementos que no pasaron la comprobación: se apartaron y la sincronización se detuvo.',
  'The server accepted your password but sent an account key that does not open with it. Nothing was changed on this device. Try again later, or tell whoever runs the server.':
    'El servidor aceptó tu contraseña pero envió una clave de cuenta que no se abre con ella. No se cambió nada en este dispositivo. Vuelve a intentarlo más tarde o avisa a quien administra el servidor.',
  'Wrong master password — or the server gave this device a key that does not fit it (it came with the passkey sign-in and has not been opened here yet).':
    'Contraseña maestra incorrecta, o el servidor dio a este dispositivo una clave que no encaja (llegó con el inicio de sesión con llave de acceso y aún no se ha abierto aquí).',
  'The server sent keys that failed verification: nothing was changed on this device.':
    'El servidor envió claves que no pasaron la verificación: no se cambió nada en este dispositivo.',
  'The server asked for key derivation far costlier than Cofre ever uses (it would stall this device): refused.':
    'El servidor pidió una derivación de claves mucho más costosa de lo que Cofre usa nunca (bloquearía este dispositivo): rechazada.',
  'The server signed this device in to another account: refused. Sign out first to switch.':
    'El servidor inició sesión en otra cuenta en este dispositivo: rechazado. Cierra la sesión antes de cambiar.',
  'The server offered an account key older than the one this device uses: refused.':
    'El servidor ofreció una clave de cuenta más antigua que la que usa este dispositivo: rechazada.',
  'The server named another generation for the account key this device holds: refused.':
    'El servidor indicó otra generación para la clave de cuenta de este dispositivo: rechazada.',
  'The server’s new account key does not lead to this device’s.':
    'La nueva clave de cuenta del servidor no lleva a la de este dispositivo.',
  'The server sent an unusable sign-in answer.':
    'El servidor envió una respuesta de inicio de sesión inservible.',
  'The server sent an item that failed its check. It was set aside: this device kept its own copy.':
    'El servidor envió un elemento que no pasó la comprobación. Se apartó: este dispositivo conservó su propia copia.',
  'The server sent an answer larger than the protocol allows; it was refused.':
    'El servidor envió una respuesta mayor de lo que permite el protocolo; se rechazó.',
  'Discard unsaved changes?': '¿Descartar los cambios sin guardar?',
  'The changes to this item are not saved.': 'Los cambios de este elemento no están guardados.',
  'Discard changes': 'Descartar cambios',
  'Keep editing': 'Seguir editando',
  'New folder in “{parent}”': 'Carpeta nueva en «{parent}»',
  Create: 'Crear',
  'Rename folder': 'Renombrar la carpeta',
  Rename: 'Renombrar',
  'Delete the folder “{name}”?': '¿Eliminar la carpeta «{name}»?',
  'Its items are kept, in no folder.': 'Sus elementos se conservan, sin carpeta.',
  'Delete folder': 'Eliminar carpeta',
  'Empty the trash?': '¿Vaciar la papelera?',
  '{n, plural, one {# item is} other {# items are}} deleted for good on every device. This cannot be undone.':
    '{n, plural, one {# elemento se elimina} other {# elementos se eliminan}} para siempre en todos los dispositivos. No se puede deshacer.',
  'Search {n, plural, one {# item} other {# items}}  ( / )':
    'Buscar {n, plural, one {# elemento} other {# elementos}}  ( / )',
  'Items in the trash are deleted for good after 30 days.':
    'Lo que está en la papelera se elimina para siempre a los 30 días.',
  Details: 'Detalles',
  'Back to the list': 'Volver a la lista',
  Login: 'Inicio de sesión',
  'Secure note': 'Nota segura',
  Card: 'Tarjeta',
  Identity: 'Identidad',
  'Folder actions: {name}': 'Acciones de la carpeta: {name}',
  'New folder inside': 'Carpeta nueva dentro',
  'Sign out and remove the vault from this browser?':
    '¿Cerrar sesión y quitar la bóveda de este navegador?',
  'Edits not yet synced are lost. Sign in again with your master password, or recover the account with a recovery kit.':
    'Se pierden los cambios aún sin sincronizar. Vuelve a iniciar sesión con tu contraseña maestra, o recupera la cuenta con un kit de recuperación.',
  'Sign out': 'Cerrar sesión',
  PIN: 'PIN',
  'Forgot the master password?': '¿Olvidaste la contraseña maestra?',
  Undo: 'Deshacer',
  'Base domain': 'Dominio base',
  Host: 'Servidor (host)',
  'Starts with': 'Empieza por',
  Exact: 'Exacta',
  'Regular expression': 'Expresión regular',
  'Use at least {min} characters (this one has {n}).':
    'Usa al menos {min} caracteres (esta tiene {n}).',
  'Too easy to guess: {reason} Choose a longer or less common one.':
    'Demasiado fácil de adivinar: {reason} Elige una más larga o menos común.',
  'Too easy to guess. Choose a longer or less common one: four or five random words work well.':
    'Demasiado fácil de adivinar. Elige una más larga o menos común: cuatro o cinco palabras al azar funcionan bien.',
  'Hide {field}': 'Ocultar {field}',
  'Show {field}': 'Mostrar {field}',
  'Copy {field}': 'Copiar {field}',
  '{n, plural, one {# second} other {# seconds}} left':
    '{n, plural, one {queda # segundo} other {quedan # segundos}}',
  '“{name}” moved to the trash.': '«{name}» se movió a la papelera.',
  'Delete “{name}” forever?': '¿Eliminar «{name}» para siempre?',
  'It is deleted on every device. This cannot be undone.':
    'Se elimina en todos los dispositivos. No se puede deshacer.',
  'another device': 'otro dispositivo',
  'In the trash since {date}. It is deleted for good in {n, plural, one {# day} other {# days}}.':
    'En la papelera desde el {date}. Se elimina para siempre en {n, plural, one {# día} other {# días}}.',
  'Another device changed this item at the same time. Nothing was lost: choose what to keep.':
    'Otro dispositivo cambió este elemento a la vez. No se perdió nada: elige qué conservar.',
  'current {field}': '{field} actual',
  Other: 'El otro',
  'other {field}': 'el otro {field}',
  'Address 3': 'Dirección 3',
  'Give the item a name.': 'Dale un nombre al elemento.',
  'A card number has 8 to 19 digits.': 'Un número de tarjeta tiene de 8 a 19 cifras.',
  Expires: 'Caduca',
  Month: 'Mes',
  Year: 'Año',
  'A security code has 3 or 4 digits.': 'Un código de seguridad tiene 3 o 4 cifras.',
  'Paste the setup key (letters A–Z and 2–7) or an otpauth:// link.':
    'Pega la clave de configuración (letras A–Z y cifras 2–7) o un enlace otpauth://.',
  'Cofre could not save this item: {detail}': 'Cofre no pudo guardar este elemento: {detail}',
  'Generate a password': 'Generar una contraseña',
  'Check the fields marked above.': 'Revisa los campos marcados arriba.',
  '“{by}” removed this browser from the account {email} on {date}. Its copy of the vault and its keys were erased from this browser.':
    '«{by}» quitó este navegador de la cuenta {email} el {date}. Su copia de la bóveda y sus claves se borraron de este navegador.',
  Dismiss: 'Cerrar',
  'Nobody can recover this password for you, not even the server. Write it down somewhere safe.':
    'Nadie puede recuperar esta contraseña por ti, ni siquiera el servidor. Apúntala en un lugar seguro.',
  '{n, plural, one {# edit has} other {# edits have}} not reached the server yet and will be lost.':
    '{n, plural, one {# cambio no ha llegado} other {# cambios no han llegado}} aún al servidor y se perderán.',
  'Everything is synced: sign in again to get it back.':
    'Todo está sincronizado: inicia sesión de nuevo para recuperarlo.',
  'Device renamed.': 'Dispositivo renombrado.',
  'This device’s name': 'Nombre de este dispositivo',
  'Shown in the list of devices and on the side of a conflict this device wrote.':
    'Se muestra en la lista de dispositivos y en el lado de un conflicto que escribió este dispositivo.',
  'Remove “{name}” from your account?': '¿Quitar «{name}» de tu cuenta?',
  'It is signed out now. The next time it reaches the server it locks and erases its copy of the vault and its keys. Edits it has not synced are lost.':
    'Su sesión se cierra ahora. La próxima vez que contacte con el servidor se bloquea y borra su copia de la bóveda y sus claves. Se pierden los cambios que no haya sincronizado.',
  'Remove device': 'Quitar dispositivo',
  'Device removed.': 'Dispositivo quitado.',
  'Unnamed device': 'Dispositivo sin nombre',
  'Signed in {date}': 'Sesión iniciada el {date}',
  'last seen {date}': 'visto por última vez el {date}',
  'Remove {name}': 'Quitar {name}',
  'Lowercase (a–z)': 'Minúsculas (a–z)',
  'Uppercase (A–Z)': 'Mayúsculas (A–Z)',
  'Digits (0–9)': 'Cifras (0–9)',
  'Symbols (!@#…)': 'Símbolos (!@#…)',
  'Avoid look-alikes (l, 1, O, 0)': 'Evitar los parecidos (l, 1, O, 0)',
  'Generator history': 'Historial del generador',
  'Passwords you generate and copy or fill are kept here, so one set on a site is never lost.':
    'Las contraseñas que generas y copias o rellenas se guardan aquí, para que una puesta en un sitio nunca se pierda.',
  'Clear the generator history?': '¿Borrar el historial del generador?',
  'The {n, plural, one {# password} other {# passwords}} in it are deleted on every device. Passwords saved in items are kept.':
    '{n, plural, one {La # contraseña que tiene se elimina} other {Las # contraseñas que tiene se eliminan}} en todos los dispositivos. Las guardadas en elementos se conservan.',
  'Clear history': 'Borrar historial',
  'Hide password': 'Ocultar contraseña',
  'Show password': 'Mostrar contraseña',
  '{n, plural, one {# hour} other {# hours}}': '{n, plural, one {# hora} other {# horas}}',
  '{n, plural, one {# minute} other {# minutes}}': '{n, plural, one {# minuto} other {# minutos}}',
  'Something answers at {url}, but it is not a Cofre server. Check the address.':
    'Algo responde en {url}, pero no es un servidor de Cofre. Revisa la dirección.',
  'The Cofre server at {url} is up but cannot reach its database. Try again in a moment, or tell whoever runs it.':
    'El servidor de Cofre en {url} funciona pero no llega a su base de datos. Prueba de nuevo en un momento, o avisa a quien lo administra.',
  'Wrong PIN. {n, plural, one {# try} other {# tries}} left.':
    'PIN incorrecto. {n, plural, one {Queda # intento} other {Quedan # intentos}}.',
  'Wrong PIN 5 times: the PIN was erased. Unlock with your master password.':
    'PIN incorrecto 5 veces: se borró el PIN. Desbloquea con tu contraseña maestra.',
  'That login no longer exists.': 'Ese inicio de sesión ya no existe.',
  'The page changed before it could be filled.': 'La página cambió antes de poder rellenarla.',
  'This menu has expired. Click the field again.':
    'Este menú ha caducado. Vuelve a hacer clic en el campo.',
  'This field does not take a new password.': 'Este campo no admite una contraseña nueva.',
  'No login form was found on this page.':
    'No se encontró ningún formulario de inicio de sesión en esta página.',
  'This prompt has expired.': 'Este aviso ha caducado.',
  'The server refused ({code}).': 'El servidor lo rechazó ({code}).',
  'This login is not saved for {site}.': 'Este inicio de sesión no está guardado para {site}.',
  'The server refused the sync ({code}).': 'El servidor rechazó la sincronización ({code}).',
  'The server did not answer within {seconds} s.': 'El servidor no respondió en {seconds} s.',
  'Records the server sent that failed their check, set aside: {n}.':
    'Registros del servidor que no pasaron la comprobación, apartados: {n}.',
  'This kit needs {needed} different shares; {entered} entered.':
    'Este kit necesita {needed} partes distintas; has introducido {entered}.',
  'Cofre — not set up': 'Cofre — sin configurar',
  'Cofre — locked': 'Cofre — bloqueado',
  'Cofre — the server sent items that failed their check':
    'Cofre — el servidor envió elementos que no pasaron la comprobación',
  'Cofre — sync error': 'Cofre — error de sincronización',
  'Cofre — {n, plural, one {# edit} other {# edits}} waiting to sync':
    'Cofre — {n, plural, one {# cambio pendiente} other {# cambios pendientes}} de sincronizar',
  'Cofre — {n, plural, one {# edit} other {# edits}} waiting to sync (offline)':
    'Cofre — {n, plural, one {# cambio pendiente} other {# cambios pendientes}} de sincronizar (sin conexión)',
  'Cofre — unlocked, synced': 'Cofre — desbloqueado, sincronizado',
  Text: 'Texto',
  Hidden: 'Oculto',
  'Yes or no': 'Sí o no',
  Linked: 'Enlazado',
  'Custom fields': 'Campos personalizados',
  'Give the field a name.': 'Ponle un nombre al campo.',
  'field {n}': 'campo {n}',
  'Name of field {n}': 'Nombre del campo {n}',
  'Field name': 'Nombre del campo',
  'Kind of {field}': 'Tipo de {field}',
  'Value of {field}': 'Valor de {field}',
  Value: 'Valor',
  'Remove {field}': 'Quitar {field}',
  'Add a field': 'Añadir un campo',
  'Same as {field}': 'Igual que {field}',
  Yes: 'Sí',
  No: 'No',
  'Which manager made this file?': '¿Qué gestor creó este archivo?',
  'Read it as this one': 'Leerlo como este',
  '{n, plural, one {# item} other {# items}} imported without a field, and which':
    '{n, plural, one {# elemento importado} other {# elementos importados}} sin algún campo, y cuál',
  'Credential Exchange Format, CXF (not encrypted; 1Password, Bitwarden, Apple…)':
    'Formato de intercambio de credenciales, CXF (sin cifrar; 1Password, Bitwarden, Apple…)',
  'The export’s KDF is too weak.': 'La KDF de la exportación es demasiado débil.',
  'The export’s Argon2id settings are out of range.':
    'Los parámetros Argon2id de la exportación están fuera de rango.',
  'Unknown Bitwarden KDF type {type}.': 'Tipo de KDF de Bitwarden desconocido: {type}.',
  'An encrypted value is not a type-2 EncString.': 'Un valor cifrado no es un EncString de tipo 2.',
  'Wrong password for this export.': 'Contraseña incorrecta para esta exportación.',
  'the linked field "{field}" (Bitwarden link {link})':
    'el campo enlazado «{field}» (enlace de Bitwarden {link})',
  'This Cofre export is damaged.': 'Esta exportación de Cofre está dañada.',
  'This export is password protected: enter its password.':
    'Esta exportación está protegida con contraseña: escríbela.',
  'a quote is opened and never closed': 'se abren comillas que nunca se cierran',
  'it has {values} values where the header has {columns}':
    'tiene {values} valores donde la cabecera tiene {columns}',
  'The CSV file has no header line.': 'El archivo CSV no tiene línea de cabecera.',
  'This is not a Credential Exchange (CXF) file.':
    'Esto no es un archivo Credential Exchange (CXF).',
  'This CXF file is version {version}; Cofre reads version 1.':
    'Este archivo CXF es de la versión {version}; Cofre lee la versión 1.',
  'a TOTP with an algorithm Cofre cannot use': 'un TOTP con un algoritmo que Cofre no puede usar',
  'the attached file "{file}"': 'el archivo adjunto «{file}»',
  'a link to another item': 'un enlace a otro elemento',
  'a "{type}" credential': 'una credencial «{type}»',
  'in 1Password’s trash': 'en la papelera de 1Password',
  'archived in 1Password': 'archivado en 1Password',
  'the attached document (Cofre does not keep files)':
    'el documento adjunto (Cofre no guarda archivos)',
  'This Bitwarden export is locked to a Bitwarden account. Export it again with “Password protected”.':
    'Esta exportación de Bitwarden está ligada a una cuenta de Bitwarden. Vuelve a exportar con «Protegido con contraseña».',
  'This is not a Bitwarden JSON export.': 'Esto no es una exportación JSON de Bitwarden.',
  'Bitwarden item type {type} is not one Cofre knows':
    'Cofre no conoce el tipo de elemento {type} de Bitwarden',
  'type "{type}" is not in Bitwarden’s CSV': 'el tipo «{type}» no existe en el CSV de Bitwarden',
  'an empty row (a LastPass folder)': 'una fila vacía (una carpeta de LastPass)',
  'a NordPass folder (its items carry it)': 'una carpeta de NordPass (sus elementos ya la llevan)',
  'NordPass item type "{type}" is not one Cofre knows':
    'Cofre no conoce el tipo de elemento «{type}» de NordPass',
  'Firefox account entry': 'entrada de la cuenta de Firefox',
  'its columns are not those of a manager Cofre knows':
    'sus columnas no son las de un gestor que Cofre conozca',
  'it has no header line': 'no tiene línea de cabecera',
  'its first line is not a header of columns separated by commas, semicolons or tabs':
    'su primera línea no es una cabecera de columnas separadas por comas, puntos y coma o tabuladores',
  '{file} — {where}': '{file} — {where}',
  'This file lacks the columns a {format} export has: {columns}.':
    'A este archivo le faltan columnas que tiene una exportación de {format}: {columns}.',
  'could not be read: {why}': 'no se pudo leer: {why}',
  'This XML file declares a document type or entities, which KeePass never writes: Cofre does not read it.':
    'Este archivo XML declara un tipo de documento o entidades, que KeePass nunca escribe: Cofre no lo lee.',
  'The KeePass XML file is malformed.': 'El archivo XML de KeePass está mal formado.',
  'This is not a KeePass 2 XML export.': 'Esto no es una exportación XML de KeePass 2.',
  'This Proton Pass export is encrypted with PGP: export it again without encryption.':
    'Esta exportación de Proton Pass está cifrada con PGP: vuelve a exportar sin cifrado.',
  'in Proton Pass’s trash': 'en la papelera de Proton Pass',
  'Proton Pass item type "{type}" is not one Cofre knows':
    'Cofre no conoce el tipo de elemento «{type}» de Proton Pass',
  'the TOTP value is not one Cofre can use; it is kept as a hidden field':
    'el valor TOTP no es uno que Cofre pueda usar; se guarda como campo oculto',
  'item {n} ({name})': 'elemento {n} ({name})',
  'item {n}': 'elemento {n}',
  'line {n} ({name})': 'línea {n} ({name})',
  'line {n}': 'línea {n}',
  'entry {n} ({name})': 'entrada {n} ({name})',
  'entry {n}': 'entrada {n}',
  'record {n} ({name})': 'registro {n} ({name})',
  'record {n}': 'registro {n}',
  'it is JSON, but not the export of a manager Cofre knows':
    'es JSON, pero no la exportación de un gestor que Cofre conozca',
  'it is XML, but not a KeePass 2 export': 'es XML, pero no una exportación de KeePass 2',
  'This Bitwarden JSON export is damaged (cut short or edited): {detail}':
    'Esta exportación JSON de Bitwarden está dañada (cortada o editada): {detail}',
  'This Cofre export is damaged (cut short or edited): {detail}':
    'Esta exportación de Cofre está dañada (cortada o editada): {detail}',
  'This JSON file is damaged: {detail}': 'Este archivo JSON está dañado: {detail}',
  'This zip archive is damaged.': 'Este archivo zip está dañado.',
  'This zip archive unpacks to more than 512 MiB.':
    'Este archivo zip se descomprime en más de 512 MiB.',
  'This zip archive holds more than one export.':
    'Este archivo zip contiene más de una exportación.',
  'Cofre cannot import this file: it is a zip archive, but not a 1Password (1PUX), Proton Pass or Dashlane export.':
    'Cofre no puede importar este archivo: es un zip, pero no una exportación de 1Password (1PUX), Proton Pass ni Dashlane.',
  'Cofre cannot import this file: {why}. Use an export of Bitwarden, 1Password, LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePass or KeePassXC, Apple Passwords, Chrome (Edge, Brave, Opera, Vivaldi), Firefox, a Credential Exchange (CXF) file, or Cofre.':
    'Cofre no puede importar este archivo: {why}. Usa una exportación de Bitwarden, 1Password, LastPass, Dashlane, NordPass, Proton Pass, Keeper, KeePass o KeePassXC, Contraseñas de Apple, Chrome (Edge, Brave, Opera, Vivaldi), Firefox, un archivo Credential Exchange (CXF) o Cofre.',
  'This file could come from one of these: {formats}. Choose which.':
    'Este archivo puede venir de uno de estos: {formats}. Elige cuál.',
  'The JSON file is malformed.': 'El archivo JSON está mal formado.',
  'must be at most {max} characters': 'debe tener como mucho {max} caracteres',
  'must be an ISO-8601 time': 'debe ser una hora ISO-8601',
  'must not be empty': 'no debe estar vacío',
  'a yes/no field is "true" or "false"': 'un campo sí/no es "true" o "false"',
  'a linked field names one of the item’s own fields':
    'un campo vinculado nombra uno de los campos del propio elemento',
  'is required': 'es obligatorio',
  'must be a folder id': 'debe ser el id de una carpeta',
  'must be an otpauth:// URI or a base32 secret': 'debe ser una URI otpauth:// o un secreto base32',
  'must be 8 to 19 digits': 'debe tener de 8 a 19 dígitos',
  'must be 3 or 4 digits': 'debe tener 3 o 4 dígitos',
  'has the wrong kind of value': 'tiene un tipo de valor equivocado',
  'has fields Cofre does not know: {keys}': 'tiene campos que Cofre no conoce: {keys}',
  'is not one of the values Cofre knows': 'no es uno de los valores que Cofre conoce',
  'must be at most {max}': 'debe ser como mucho {max}',
  'must be at least {min}': 'debe ser al menos {min}',
  'the name': 'el nombre',
  'the notes': 'las notas',
  'the username': 'el usuario',
  'the password': 'la contraseña',
  'the TOTP': 'el TOTP',
  'a website': 'un sitio web',
  'a custom field': 'un campo personalizado',
  'a password in its history': 'una contraseña de su historial',
  'a tag': 'una etiqueta',
  'the cardholder’s name': 'el nombre del titular',
  'the card’s brand': 'la marca de la tarjeta',
  'the card number': 'el número de la tarjeta',
  'the security code': 'el código de seguridad',
  'the expiry month': 'el mes de caducidad',
  'the expiry year': 'el año de caducidad',
  'the email': 'el correo',
  'the phone': 'el teléfono',
  'the social security number': 'el número de la seguridad social',
  'the passport number': 'el número de pasaporte',
  'the licence number': 'el número del permiso de conducir',
  '{what} is not valid ({why}), so it is kept as a custom field':
    '{what}: no es válido ({why}), así que se guarda como campo personalizado',
  '{what} is not valid ({why}), so it was left out':
    '{what}: no es válido ({why}), así que se ha dejado fuera',
  '{n, plural, one {# login} other {# logins}}':
    '{n, plural, one {# inicio de sesión} other {# inicios de sesión}}',
  '{n, plural, one {# note} other {# notes}}': '{n, plural, one {# nota} other {# notas}}',
  '{n, plural, one {# card} other {# cards}}': '{n, plural, one {# tarjeta} other {# tarjetas}}',
  '{n, plural, one {# identity} other {# identities}}':
    '{n, plural, one {# identidad} other {# identidades}}',
  // Sharing (worker/describe-error.ts)
  'The server sent sharing data that is not well formed; it was refused.':
    'El servidor envió datos de compartición mal formados; se rechazaron.',
  'A signature in the shared vault does not verify: the server may have made it up. Nothing of it was believed.':
    'Una firma de la bóveda compartida no es válida: puede que el servidor la inventara. No se creyó nada de ella.',
  'This person’s key changed. Nothing is shared with them until you compare the new safety number.':
    'La clave de esta persona ha cambiado. No se comparte nada con ella hasta que comparéis el nuevo número de seguridad.',
  'The safety number does not match: do not share with this key. Compare again, in person or by phone.':
    'El número de seguridad no coincide: no compartas con esta clave. Comparadlo de nuevo, en persona o por teléfono.',
  'A member was added by someone whose role does not allow it: the vault was refused.':
    'Alguien cuyo rol no lo permite añadió a un miembro: se rechazó la bóveda.',
  'A member of the vault was added by no member of it: the vault was refused.':
    'Un miembro de la bóveda no lo añadió ningún miembro: se rechazó la bóveda.',
  'The server sent a membership for another vault or an old one: it was refused.':
    'El servidor envió una pertenencia de otra bóveda o una antigua: se rechazó.',
  'The server sent an older state of the vault than this device has seen: it was refused.':
    'El servidor envió un estado de la bóveda más antiguo que el que este dispositivo ya vio: se rechazó.',
  'The vault key the server sent is not the one meant for you: it was refused.':
    'La clave de bóveda que envió el servidor no es la destinada a ti: se rechazó.',
  'This invitation was not made for you: it was refused.':
    'Esta invitación no se hizo para ti: se rechazó.',
  'You are not a member of this vault.': 'No eres miembro de esta bóveda.',
  'is not a public key': 'no es una clave pública',
  'Your role in this vault does not allow that.': 'Tu rol en esta bóveda no lo permite.',
  // Sharing (issue 17).
  'Key changed': 'Clave cambiada',
  'Shared vault': 'Bóveda compartida',
  Vaults: 'Bóvedas',
  'All vaults': 'Todas las bóvedas',
  Personal: 'Personal',
  '{n, plural, one {# member} other {# members}} not verified':
    '{n, plural, one {# miembro sin verificar} other {# miembros sin verificar}}',
  'Members and settings of “{name}”': 'Miembros y ajustes de «{name}»',
  Sharing: 'Compartir',
  'waiting for you': 'esperándote',
  'A shared vault failed its check': 'Una bóveda compartida no superó su comprobación',
  'view only': 'solo lectura',
  shared: 'compartida',
  Members: 'Miembros',
  'View only': 'Solo lectura',
  'Move or copy…': 'Mover o copiar…',
  'Share…': 'Compartir…',
  'In the shared vault “{vault}”. Your role there is viewer: you can see and copy this item, not change it.':
    'En la bóveda compartida «{vault}». Tu rol allí es lector: puedes ver y copiar este elemento, no cambiarlo.',
  'In the shared vault “{vault}”: the people in it see your changes.':
    'En la bóveda compartida «{vault}»: quienes están en ella ven tus cambios.',
  Owner: 'Propietario',
  Manager: 'Administrador',
  Editor: 'Editor',
  Viewer: 'Lector',
  'sees and changes items, invites and removes people':
    've y cambia elementos, invita y quita personas',
  'sees and changes items': 've y cambia elementos',
  'sees and copies items, changes nothing': 've y copia elementos, no cambia nada',
  'The key of {email} changed': 'La clave de {email} ha cambiado',
  'The server now shows another key for {email} than the one you checked. Either they set up their account again, or someone is trying to read what you share. Nothing is shared with them until you compare the new safety number with them, in person or on a call you trust.':
    'El servidor muestra ahora para {email} otra clave distinta de la que comprobaste. O bien ha configurado su cuenta de nuevo, o alguien intenta leer lo que compartes. No se comparte nada con esa persona hasta que comparéis el nuevo número de seguridad, en persona o en una llamada de confianza.',
  'Compare the new safety number': 'Comparar el nuevo número de seguridad',
  'The same safety number as a QR code, to scan from the other screen':
    'El mismo número de seguridad como código QR, para escanearlo desde la otra pantalla',
  'Ask {email} to open this vault in Cofre on their own device. Read these numbers to each other, group by group — in person or on a call where you know their voice. They must be exactly the same on both screens.':
    'Pide a {email} que abra esta bóveda en Cofre en su propio dispositivo. Leeos estos números grupo a grupo, en persona o en una llamada en la que reconozcas su voz. Deben ser exactamente iguales en las dos pantallas.',
  'Safety number with {email}': 'Número de seguridad con {email}',
  'Different numbers mean the server gave one of you a key that is not the other person’s: do not confirm, and tell them.':
    'Si los números son distintos, el servidor le dio a uno de los dos una clave que no es de la otra persona: no confirmes y avísale.',
  'They are different': 'Son distintos',
  'Confirming…': 'Confirmando…',
  'New shared vault': 'Nueva bóveda compartida',
  'A vault you share with family or a team. Only the people you invite and confirm can open it; the server cannot.':
    'Una bóveda que compartes con tu familia o tu equipo. Solo pueden abrirla las personas que invitas y confirmas; el servidor no.',
  'Vault name': 'Nombre de la bóveda',
  'Compare safety numbers with {email}': 'Comparar números de seguridad con {email}',
  'The numbers match': 'Los números coinciden',
  'Offline: shared vaults open as last checked; invitations wait for the server.':
    'Sin conexión: las bóvedas compartidas se abren tal como se comprobaron por última vez; las invitaciones esperan al servidor.',
  'Your edit of “{name}” could not be saved in “{vault}”: your role there no longer allows changes. It was kept in your personal vault.':
    'Tu cambio de «{name}» no se pudo guardar en «{vault}»: tu rol allí ya no permite cambios. Se ha guardado en tu bóveda personal.',
  'a shared vault': 'una bóveda compartida',
  'Open it': 'Abrirlo',
  '{n, plural, one {You no longer have access to a shared vault: its copy was removed from this device.} other {You no longer have access to # shared vaults: their copies were removed from this device.}}':
    '{n, plural, one {Ya no tienes acceso a una bóveda compartida: su copia se ha borrado de este dispositivo.} other {Ya no tienes acceso a # bóvedas compartidas: sus copias se han borrado de este dispositivo.}}',
  'Nothing of it is shown or written until it passes again. If a member’s key changed, compare the new safety number with them.':
    'No se muestra ni se escribe nada de ella hasta que vuelva a superarla. Si cambió la clave de un miembro, compara con esa persona el nuevo número de seguridad.',
  'Invitations to you': 'Invitaciones para ti',
  'No invitations waiting.': 'No hay invitaciones pendientes.',
  '{email} invites you to a shared vault as {role}.':
    '{email} te invita a una bóveda compartida como {role}.',
  'Accepted — waiting for {email} to confirm you.':
    'Aceptada: esperando a que {email} te confirme.',
  Accept: 'Aceptar',
  Decline: 'Rechazar',
  'Show safety number': 'Ver número de seguridad',
  'Your shared vaults': 'Tus bóvedas compartidas',
  'None yet. Create one, then invite people by email.':
    'Aún ninguna. Crea una e invita a personas por correo.',
  '{n, plural, one {# member} other {# members}}':
    '{n, plural, one {# miembro} other {# miembros}}',
  'Loading…': 'Cargando…',
  'Compare the new safety number with {email}': 'Comparar el nuevo número de seguridad con {email}',
  'The numbers match: trust the new key': 'Los números coinciden: confiar en la nueva clave',
  'Confirm {email}': 'Confirmar a {email}',
  'The numbers match: confirm': 'Los números coinciden: confirmar',
  '{email} is now a member and can open “{name}”.': '{email} ya es miembro y puede abrir «{name}».',
  'this member': 'este miembro',
  'Remove {email} from “{name}”?': '¿Quitar a {email} de «{name}»?',
  'Their access ends now and the vault gets a new key. What they saw before stays known to them: change the passwords they could see.':
    'Su acceso termina ahora y la bóveda recibe una clave nueva. Lo que vio antes lo sigue conociendo: cambia las contraseñas que podía ver.',
  'Leave “{name}”?': '¿Salir de «{name}»?',
  'Its items leave this device and your other devices. Edits not yet synced are kept in your personal vault.':
    'Sus elementos salen de este dispositivo y de tus otros dispositivos. Los cambios aún sin sincronizar se guardan en tu bóveda personal.',
  'Leave vault': 'Salir de la bóveda',
  'Delete “{name}” for everyone?': '¿Eliminar «{name}» para todos?',
  'Every item in it is deleted for all {n, plural, one {# member} other {# members}}. This cannot be undone. Type the vault’s name to confirm.':
    'Todos sus elementos se eliminan para {n, plural, one {# miembro} other {los # miembros}}. No se puede deshacer. Escribe el nombre de la bóveda para confirmar.',
  'Delete vault': 'Eliminar la bóveda',
  'The name typed is not the vault’s name: nothing was deleted.':
    'El nombre escrito no es el de la bóveda: no se ha eliminado nada.',
  'Rename vault': 'Renombrar la bóveda',
  'Show items': 'Ver elementos',
  'Add items…': 'Añadir elementos…',
  'Your role: {role} — {hint}.': 'Tu rol: {role} ({hint}).',
  'everything, including deleting the vault': 'todo, incluso eliminar la bóveda',
  'Removing, and re-encrypting the vault under a new key…':
    'Quitando y volviendo a cifrar la bóveda con una clave nueva…',
  '{email} was removed': 'Se ha quitado a {email}',
  'They could see {n, plural, one {# item} other {# items}}. Change the passwords among them: they may have copied them.':
    'Podía ver {n, plural, one {# elemento} other {# elementos}}. Cambia las contraseñas que haya entre ellos: puede haberlas copiado.',
  'and {n} more': 'y {n} más',
  'Show these logins to change their passwords':
    'Ver estos inicios de sesión para cambiar sus contraseñas',
  Person: 'Persona',
  Role: 'Rol',
  'Safety number': 'Número de seguridad',
  Actions: 'Acciones',
  '(unknown)': '(desconocido)',
  you: 'tú',
  'Role of {email}': 'Rol de {email}',
  '{email} is now {role}.': '{email} es ahora {role}.',
  Verified: 'Verificado',
  'Not verified': 'Sin verificar',
  Compare: 'Comparar',
  'Remove {email}': 'Quitar a {email}',
  'Invite someone': 'Invitar a alguien',
  'Invitation sent to {email}. When they accept, compare safety numbers with them and confirm them here.':
    'Invitación enviada a {email}. Cuando la acepte, comparad los números de seguridad y confírmalo aquí.',
  Invitations: 'Invitaciones',
  'Accepted — confirm them': 'Aceptada: confírmalo',
  'Waiting for them to accept': 'Esperando a que acepte',
  'Compare and confirm': 'Comparar y confirmar',
  'Cancel invitation': 'Cancelar la invitación',
  'Leave or delete': 'Salir o eliminar',
  Invite: 'Invitar',
  'Personal vault': 'Bóveda personal',
  'Move or copy items': 'Mover o copiar elementos',
  'No other vault you may add items to.': 'No hay otra bóveda a la que puedas añadir elementos.',
  To: 'A',
  '{a} of {b}': '{a} de {b}',
  'Move {n, plural, one {# item} other {# items}}':
    'Mover {n, plural, one {# elemento} other {# elementos}}',
  'Copy {n, plural, one {# item} other {# items}}':
    'Copiar {n, plural, one {# elemento} other {# elementos}}',
  'Moving takes an item out of where it was, on every device; copying leaves it there too. Items arrive in no folder.':
    'Mover saca un elemento de donde estaba, en todos los dispositivos; copiar lo deja también allí. Los elementos llegan sin carpeta.',
  'Cofre — a shared vault failed its check: open Cofre to see why':
    'Cofre — una bóveda compartida no superó su comprobación: abre Cofre para ver por qué',
  'Cofre — {n, plural, one {# invitation} other {# invitations}} to a shared vault':
    'Cofre — {n, plural, one {# invitación} other {# invitaciones}} a una bóveda compartida',
  'Cofre — {n, plural, one {# person waits} other {# people wait}} for your confirmation':
    'Cofre — {n, plural, one {# persona espera} other {# personas esperan}} tu confirmación',
  'That item no longer exists.': 'Ese elemento ya no existe.',
  // Who may join (issue 19)
  'This server accepts new accounts for addresses at {domains}.':
    'Este servidor acepta cuentas nuevas para direcciones de {domains}.',
  'Invitation code': 'Código de invitación',
  'This server takes new accounts only with an invitation from its administrator.':
    'Este servidor solo acepta cuentas nuevas con una invitación de su administrador.',
  'This server takes new accounts by invitation: the code came from its administrator or with an invitation to a shared vault.':
    'Este servidor acepta cuentas nuevas por invitación: el código te lo dio su administrador o llegó con una invitación a una bóveda compartida.',
  'If {email} has no account on this server yet, they need this invitation code to create one. It works once, for that address, until {date}:':
    'Si {email} aún no tiene cuenta en este servidor, necesita este código de invitación para crearla. Sirve una vez, para esa dirección, hasta el {date}:',
  'It was also sent to them by email.': 'También se le ha enviado por correo.',
  'This server sends no email: give them the code yourself.':
    'Este servidor no envía correos: dale tú el código.',
  'This server does not accept new accounts. Ask whoever runs it for an invitation code.':
    'Este servidor no acepta cuentas nuevas. Pide un código de invitación a quien lo administra.',
  'This server accepts new accounts by invitation only: enter the invitation code you were given.':
    'Este servidor solo acepta cuentas nuevas por invitación: escribe el código de invitación que te dieron.',
  'This server does not accept new accounts for this email address’s domain.':
    'Este servidor no acepta cuentas nuevas para el dominio de esta dirección de correo.',
  'This invitation code does not work: it was used already, it expired, or it was made for another email address.':
    'Este código de invitación no sirve: ya se usó, caducó o se hizo para otra dirección de correo.',
  // Two-step sign-in (issue 19)
  'A new device signing in with your master password also needs a code from your phone or a security key.':
    'Un dispositivo nuevo que inicia sesión con tu contraseña maestra necesita además un código de tu teléfono o una llave de seguridad.',
  'Add a security key': 'Añadir una llave de seguridad',
  'Authenticator app': 'App de autenticación',
  'Authenticator app set up: new devices will ask for its code.':
    'App de autenticación configurada: los dispositivos nuevos pedirán su código.',
  'Checking…': 'Comprobando…',
  'Code from your authenticator app': 'Código de tu app de autenticación',
  'Code from your authenticator app, or a recovery code':
    'Código de tu app de autenticación, o un código de recuperación',
  'Cofre recovery codes — each signs in once:':
    'Códigos de recuperación de Cofre — cada uno sirve para iniciar sesión una vez:',
  'Confirm with your master password': 'Confirma con tu contraseña maestra',
  Continue: 'Continuar',
  Download: 'Descargar',
  'Each one signs a device in once if you lose your phone or security key. They are shown only now.':
    'Cada uno inicia sesión en un dispositivo una vez si pierdes tu teléfono o tu llave de seguridad. Solo se muestran ahora.',
  'Enter the second step of your sign-in.': 'Completa el segundo paso de tu inicio de sesión.',
  'Every browser asks for the second step at its next sign-in.':
    'Todos los navegadores pedirán el segundo paso en su próximo inicio de sesión.',
  Forget: 'Olvidar',
  'Forget all': 'Olvidar todos',
  'Forgotten: it asks for the second step at its next sign-in.':
    'Olvidado: pedirá el segundo paso en su próximo inicio de sesión.',
  'I have saved them': 'Ya los he guardado',
  'It guards your account on the server. Your vault’s key never depends on it: a device that is signed in unlocks with your password, PIN or passkey alone, even offline.':
    'Protege tu cuenta en el servidor. La llave de tu bóveda nunca depende de ello: un dispositivo con la sesión iniciada se desbloquea solo con tu contraseña, PIN o llave de acceso, incluso sin conexión.',
  'Keep these recovery codes somewhere safe.':
    'Guarda estos códigos de recuperación en un lugar seguro.',
  'Make new codes': 'Generar códigos nuevos',
  'Move to another phone': 'Pasar a otro teléfono',
  'None.': 'Ninguno.',
  Off: 'Desactivado',
  On: 'Activado',
  'Or type this secret into it:': 'O escribe en ella este secreto:',
  'QR code of the secret for your authenticator app':
    'Código QR del secreto para tu app de autenticación',
  'Recovery code': 'Código de recuperación',
  'Recovery codes': 'Códigos de recuperación',
  'Remember this browser for 30 days': 'Recordar este navegador durante 30 días',
  'Remembered browsers': 'Navegadores recordados',
  'Scan this code with your authenticator app (any app that does TOTP):':
    'Escanea este código con tu app de autenticación (cualquier app de TOTP):',
  'Security key': 'Llave de seguridad',
  'Security key added: a new device signing in can use it for the second step.':
    'Llave de seguridad añadida: un dispositivo nuevo que inicie sesión podrá usarla para el segundo paso.',
  'Security keys': 'Llaves de seguridad',
  'Set up': 'Configurada',
  'Set up an authenticator app': 'Configurar una app de autenticación',
  'Start setting the authenticator app up again: that one waited too long.':
    'Vuelve a empezar la configuración de la app de autenticación: esa esperó demasiado.',
  'That code does not match: check the time on your phone and type the code it shows now.':
    'Ese código no coincide: comprueba la hora de tu teléfono y escribe el código que muestra ahora.',
  'That code or key was not accepted. Each code works once: wait for the next one.':
    'No se aceptó ese código o esa llave. Cada código sirve una vez: espera al siguiente.',
  'Then type the code it shows': 'Después escribe el código que muestra',
  'This account is disabled: ask whoever runs the server.':
    'Esta cuenta está desactivada: pregunta a quien administra el servidor.',
  'This server requires two-step sign-in, and this account has not set it up: set it up in Settings → Two-step sign-in on a device that is signed in.':
    'Este servidor exige el inicio de sesión en dos pasos y esta cuenta no lo tiene configurado: configúralo en Ajustes → Inicio de sesión en dos pasos en un dispositivo con la sesión iniciada.',
  'This server requires two-step sign-in: set it up in Settings → Two-step sign-in to sync.':
    'Este servidor exige el inicio de sesión en dos pasos: configúralo en Ajustes → Inicio de sesión en dos pasos para sincronizar.',
  'This server requires two-step sign-in: set it up to keep syncing.':
    'Este servidor exige el inicio de sesión en dos pasos: configúralo para seguir sincronizando.',
  'This sign-in waited too long or was tried too often: sign in again.':
    'Este inicio de sesión esperó demasiado o se intentó demasiadas veces: vuelve a iniciar sesión.',
  'This sign-in waited too long: sign in again.':
    'Este inicio de sesión esperó demasiado: vuelve a iniciar sesión.',
  'This step guards signing in to the server only. A device that is already signed in unlocks with your password, PIN or passkey alone, even offline.':
    'Este paso solo protege el inicio de sesión en el servidor. Un dispositivo que ya tiene la sesión iniciada se desbloquea solo con tu contraseña, PIN o llave de acceso, incluso sin conexión.',
  'Too many failed sign-ins from this network: wait a few minutes and try again.':
    'Demasiados inicios de sesión fallidos desde esta red: espera unos minutos y vuelve a intentarlo.',
  'Too many wrong passwords were tried for this account, so the server locked it for a while. If it is yours and has two-step sign-in, type a code from your authenticator app (or a recovery code) with your password to sign in now.':
    'Se probaron demasiadas contraseñas incorrectas para esta cuenta y el servidor la ha bloqueado un rato. Si es tuya y tiene inicio de sesión en dos pasos, escribe un código de tu app de autenticación (o un código de recuperación) junto con tu contraseña para entrar ahora.',
  'Turn off': 'Desactivar',
  'Turn on': 'Activar',
  'Turn the authenticator app off?': '¿Desactivar la app de autenticación?',
  'Two-step sign-in': 'Inicio de sesión en dos pasos',
  'Use a recovery code': 'Usar un código de recuperación',
  'Use a security key or passkey': 'Usar una llave de seguridad o de acceso',
  'Use the authenticator app': 'Usar la app de autenticación',
  Verify: 'Verificar',
  'Waiting for your security key…': 'Esperando a tu llave de seguridad…',
  'With no other second factor, new devices sign in with the password alone, and your recovery codes and remembered browsers are forgotten.':
    'Sin otro segundo factor, los dispositivos nuevos inician sesión solo con la contraseña, y se olvidan tus códigos de recuperación y navegadores recordados.',
  'Your password was right. {email} asks a new device for a second step.':
    'Tu contraseña es correcta. {email} pide un segundo paso a los dispositivos nuevos.',
  'Your security keys still guard new sign-ins.':
    'Tus llaves de seguridad siguen protegiendo los inicios de sesión nuevos.',
  'this browser': 'este navegador',
  'until {date}': 'hasta el {date}',
  '{n, plural, one {# code left} other {# codes left}}':
    '{n, plural, one {queda # código} other {quedan # códigos}}',
  'Enter your master password to sign in with “{name}”.':
    'Escribe tu contraseña maestra para iniciar sesión con “{name}”.',
  'Passkey · {name}': 'Llave de acceso en {name}',
  'Use another device or security key': 'Usar otro dispositivo o llave de seguridad',
  'A passkey for this account is already saved in Cofre.':
    'Cofre ya guarda una llave de acceso para esta cuenta.',
  'Keep it in': 'Guardarla en',
  'A new login': 'Un inicio de sesión nuevo',
  'Save passkey': 'Guardar llave de acceso',
  'Cofre has no passkey for {site}.': 'Cofre no tiene ninguna llave de acceso para {site}.',
  'Save a passkey for {site}?': '¿Guardar una llave de acceso para {site}?',
  'Sign in to {site} with a passkey': 'Iniciar sesión en {site} con una llave de acceso',
  'Asked by {origin}, inside a page of {top}. Go on only if you expected to sign in there.':
    'Lo pide {origin}, dentro de una página de {top}. Continúa solo si esperabas iniciar sesión ahí.',
  'Asked by {origin}.': 'Lo pide {origin}.',
  'This site asks you to confirm it is you.': 'Este sitio te pide confirmar que eres tú.',
  Confirm: 'Confirmar',
  'Use your unlock passkey': 'Usar tu llave de acceso de desbloqueo',
  'This sign-in is in a frame from {frame}, inside {top}. Sign in there with a passkey?':
    'Este inicio de sesión está en un marco de {frame}, dentro de {top}. ¿Iniciar sesión ahí con una llave de acceso?',
  Passkey: 'Llave de acceso',
  'created {date}': 'creada el {date}',
  'Delete passkey': 'Eliminar llave de acceso',
  'Delete the passkey for {site}': 'Eliminar la llave de acceso de {site}',
  'Delete the passkey for {site}?': '¿Eliminar la llave de acceso de {site}?',
  'It is deleted on every device. Unless the site has another way in, you cannot sign in to it with this passkey again.':
    'Se elimina en todos los dispositivos. Si el sitio no tiene otra forma de entrar, no podrás volver a iniciar sesión con esta llave de acceso.',
  'That passkey is not one this site can use.': 'Este sitio no puede usar esa llave de acceso.',
  'This site asks you to confirm it is you: enter your master password or PIN.':
    'Este sitio te pide confirmar que eres tú: escribe tu contraseña maestra o tu PIN.',
  'This passkey request has ended. Try again on the site.':
    'Esta solicitud de llave de acceso ha terminado. Vuelve a intentarlo en el sitio.',
  'Choose a passkey.': 'Elige una llave de acceso.',
  'This site no longer asks for a passkey.': 'Este sitio ya no pide una llave de acceso.',
  'must be base64url': 'debe estar en base64url',
  'Passkeys need a secure (https) page.':
    'Las llaves de acceso necesitan una página segura (https).',
  '{site} may not use passkeys for {rpId}.': '{site} no puede usar llaves de acceso de {rpId}.',
  OK: 'OK',
  'a passkey for {site} (a key type Cofre cannot sign with)':
    'una llave de acceso de {site} (un tipo de clave con el que Cofre no puede firmar)',
  'a passkey for {site} (no usable credential id)':
    'una llave de acceso de {site} (sin un id de credencial válido)',
  'a passkey for {site} (no relying party)': 'una llave de acceso de {site} (sin sitio)',
  'a passkey for {site} (no private key)': 'una llave de acceso de {site} (sin clave privada)',
  'a passkey for {site} (not in a login)':
    'una llave de acceso de {site} (fuera de un inicio de sesión)',
  '{n, plural, one {# website passkey is} other {# website passkeys are}} not in a CSV: export to Cofre JSON, Bitwarden JSON or CXF to keep them.':
    '{n, plural, one {# llave de acceso de sitio no está} other {# llaves de acceso de sitios no están}} en un CSV: exporta a Cofre JSON, Bitwarden JSON o CXF para conservarlas.',
};
