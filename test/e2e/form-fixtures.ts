// Fixture pages in the shapes real sites use for the forms autofill most often gets wrong:
// logins in a <dialog> or a popover, design-system text fields in shadow roots (open and
// closed, faded in after focus), honeypots placed out of sight, scripts that focus a field by
// themselves, one-time codes named only by their label or split over one-digit boxes, a
// newsletter box, an update-email form, password rules — and payment and address forms
// (autocomplete tokens, English and Spanish labels, selects, a masked card number, a payment
// provider's iframes). Served by fixture-sites.ts under these host names.

export const FORM_HOSTS = [
  'dialog.test',
  'popover.test',
  'scripted.test',
  'autofocus.test',
  'honeypot.test',
  'material.test',
  'closed.test',
  'codes.test',
  'newsletter.test',
  'account.test',
  'plainbank.test',
  'rules.test',
  'checkout.test',
  'tienda.test',
  'shop2.test',
  'pay.test',
  'address.test',
  'nest.test',
  'mid.test',
  'inner.test',
];

const doc = (title: string, body: string, script = '', lang = 'en') => `<!doctype html>
<html lang="${lang}"><head><meta charset="utf-8"><title>${title}</title>
<style>body{font:15px system-ui;margin:40px} input,select{display:block;margin:6px 0 12px;padding:6px;width:260px}
form,.box{max-width:340px} dialog,[popover]{padding:24px;border:1px solid #888}</style>
</head><body><h1>${title}</h1>${body}<script>${script}</script></body></html>`;

const login = (id = 'login') => `<form method="post" action="/welcome" id="${id}">
  <label>Email <input name="email" type="email" autocomplete="username"></label>
  <label>Password <input name="password" type="password" autocomplete="current-password"></label>
  <button type="submit">Sign in</button></form>`;

/** A Material/Lit-style text field: its <input> inside the element's own shadow root. */
const textField = (mode: 'open' | 'closed') => `
class TextField extends HTMLElement {
  constructor() {
    super();
    const root = this.attachShadow({ mode: '${mode}' });
    const type = this.getAttribute('type') || 'text';
    root.innerHTML = '<style>:host{display:block;margin:8px 0} .wrap{position:relative;padding-top:14px}' +
      'label{position:absolute;top:0;left:4px;font-size:12px;pointer-events:none}' +
      'input{display:block;width:260px;padding:8px}' + '</style>' +
      '<div class="wrap"><label>' + this.getAttribute('label') + '</label>' +
      '<input type="' + type + '" autocomplete="' + (this.getAttribute('autocomplete') || '') + '"></div>';
    const input = root.querySelector('input');
    ${mode === 'closed' ? 'window.__closedInputs = (window.__closedInputs || []).concat(input);' : ''}
    this.tabIndex = -1;
    this.addEventListener('click', () => input.focus());
  }
  get value() { return this.shadowRoot ? this.shadowRoot.querySelector('input').value : ''; }
}
customElements.define('md-text-field', TextField);`;

/** A card-number box that groups digits in fours as the person types (like Cleave/IMask). */
const MASK = `
document.querySelectorAll('[data-mask=card]').forEach((el) => el.addEventListener('input', () => {
  const digits = el.value.replace(/\\D/g, '').slice(0, 19);
  el.value = digits.replace(/(\\d{4})(?=\\d)/g, '$1 ');
}));
document.querySelectorAll('[data-mask=expiry]').forEach((el) => el.addEventListener('input', () => {
  const d = el.value.replace(/\\D/g, '').slice(0, 4);
  el.value = d.length > 2 ? d.slice(0, 2) + ' / ' + d.slice(2) : d;
}));`;

const months = (label: string) =>
  `<option value="">${label}</option>${Array.from({ length: 12 }, (_, i) => `<option value="${String(i + 1).padStart(2, '0')}">${String(i + 1).padStart(2, '0')}</option>`).join('')}`;
const years = () =>
  `<option value="">Year</option>${Array.from({ length: 12 }, (_, i) => `<option>${2024 + i}</option>`).join('')}`;

export function formPages(port: number): Record<string, string> {
  const pay = `http://pay.test:${port}`;
  return {
    // A login two frames deep, in a frame too short for the menu: the top frame draws it.
    'nest.test/': doc(
      'Nested frames',
      `<iframe id="outer" src="http://mid.test:${port}/outer" style="width:420px;height:300px;border:1px solid #ccc"></iframe>`,
    ),
    'mid.test/outer': doc(
      'Portal',
      `<iframe id="inner" src="http://inner.test:${port}/login" style="width:380px;height:150px;border:0"></iframe>`,
    ),
    'inner.test/login': `<!doctype html><html><body style="margin:4px;font:14px system-ui">
      <form method="post" action="/welcome" style="display:flex;gap:6px">
      <input name="email" type="email" autocomplete="username" placeholder="Email" style="width:150px">
      <input name="password" type="password" placeholder="Password" style="width:120px">
      <button>Go</button></form></body></html>`,
    'dialog.test/': doc(
      'Dialog',
      `<button id="open" type="button">Sign in</button><dialog id="d">${login()}</dialog>`,
      `document.getElementById('open').onclick = () => document.getElementById('d').showModal();`,
    ),
    'popover.test/': doc(
      'Popover',
      `<button id="open" type="button" popovertarget="p">Sign in</button><div popover id="p">${login()}</div>`,
    ),
    // The page focuses the field by itself, under a full-screen sheet the person cannot see
    // through; a click on the sheet focuses the field again.
    'scripted.test/': doc(
      'Scripted focus',
      `${login()}<div id="sheet" style="position:fixed;inset:0;background:rgba(255,255,255,.01);z-index:10"></div>`,
      `const f = document.querySelector('[name=email]');
       setTimeout(() => f.focus(), 300);
       document.getElementById('sheet').addEventListener('pointerdown', () => setTimeout(() => f.focus(), 0));`,
    ),
    'autofocus.test/': doc(
      'Autofocus',
      `<form method="post" action="/welcome"><label>Email <input name="email" type="email" autocomplete="username" autofocus></label>
       <label>Password <input name="password" type="password"></label><button>Sign in</button></form>`,
    ),
    'honeypot.test/': doc(
      'Honeypots',
      `<form method="post" action="/welcome" id="login">
        <label>Email <input name="email" type="email"></label>
        <input name="website" type="text" tabindex="-1" autocomplete="off" style="position:absolute;left:-9999px">
        <label>Password <input name="password" type="password"></label>
        <input name="password_confirm" type="password" tabindex="-1" style="position:absolute;top:-5000px">
        <div aria-hidden="true"><input name="hp_aria" type="password"></div>
        <div style="overflow:hidden;height:0"><input name="hp_clip" type="password"></div>
        <input name="hp_faded" type="password" style="opacity:.01">
        <button type="submit">Sign in</button></form>`,
    ),
    'honeypot.test/signup': doc(
      'Honeypot signup',
      `<form method="post" action="/welcome">
        <label>Email <input name="email" type="email" autocomplete="username"></label>
        <label>Password <input name="pw" type="password" autocomplete="new-password"></label>
        <label>Repeat <input name="pw2" type="password" autocomplete="new-password"></label>
        <input name="pw_trap" type="password" autocomplete="new-password" style="position:absolute;left:-10000px;top:0">
        <button type="submit">Create account</button></form>`,
    ),
    'material.test/': doc(
      'Design system',
      `<style>.box{transition:opacity .3s} .box:not(.shown){opacity:0}</style>
       <div class="box"><md-text-field id="user" label="Email" autocomplete="username"></md-text-field>
       <md-text-field id="pass" label="Password" type="password"></md-text-field><button>Sign in</button></div>`,
      // The box is transparent when a person first clicks into it and fades in 300 ms later.
      `${textField('open')}
       const box = document.querySelector('.box');
       box.addEventListener('focusin', () => setTimeout(() => box.classList.add('shown'), 300));`,
    ),
    'closed.test/': doc(
      'Closed shadow roots',
      `<div class="box"><md-text-field id="user" label="Username"></md-text-field>
       <md-text-field id="pass" label="Password" type="password"></md-text-field></div>`,
      textField('closed'),
    ),
    'codes.test/label': doc(
      'Code by label',
      `<form method="post" action="/welcome"><label>Verification code <input name="f_x71" inputmode="numeric"></label><button>Verify</button></form>`,
    ),
    'codes.test/es': doc(
      'Código',
      `<form method="post" action="/welcome"><div>Código de verificación</div><input name="campo1"><button>Verificar</button></form>`,
      '',
      'es',
    ),
    'codes.test/split': doc(
      'Split code',
      `<form method="post" action="/welcome" id="code"><p>Enter the 6-digit code</p><div style="display:flex;gap:6px">${Array.from(
        { length: 6 },
        (_, i) =>
          `<input name="d${i}" maxlength="1" inputmode="numeric" aria-label="Digit ${i + 1}" style="width:32px;text-align:center">`,
      ).join('')}</div><button>Verify</button></form>`,
    ),
    'codes.test/key': doc(
      'Security key',
      `<form method="post" action="/welcome"><label>Security key code <input name="skc" type="password"></label><button>Verify</button></form>`,
    ),
    'newsletter.test/': doc(
      'News',
      `${login()}<footer><form id="news" action="/subscribe"><p>Get our newsletter</p>
        <label>Email <input name="news_email" type="email"></label><button>Subscribe</button></form></footer>`,
    ),
    'account.test/email': doc(
      'Change email',
      `<form method="post" action="/changed"><label>New email <input name="new_email" type="email"></label>
        <label>Confirm new email <input name="confirm_email" type="email"></label>
        <label>Current password <input name="password" type="password"></label><button>Update email</button></form>`,
    ),
    'plainbank.test/login': doc('Plain bank (http)', login()),
    'rules.test/signup': doc(
      'Strict rules',
      `<form method="post" action="/welcome"><label>Email <input name="email" type="email" autocomplete="username"></label>
        <label>Password <input name="pw" type="password" autocomplete="new-password" maxlength="12"
          passwordrules="minlength: 10; maxlength: 12; required: lower; required: upper; required: digit; required: [-_]; max-consecutive: 2"></label>
        <button>Create account</button></form>`,
    ),
    // Payment: autocomplete tokens, selects for the expiry, a card number masked in fours.
    'checkout.test/': doc(
      'Checkout',
      `<form id="pay"><label>Card number <input name="ccn" autocomplete="cc-number" inputmode="numeric" data-mask="card"></label>
        <label>Name on card <input name="ccname" autocomplete="cc-name"></label>
        <label>Expiry month <select name="ccmonth" autocomplete="cc-exp-month">${months('Month')}</select></label>
        <label>Expiry year <select name="ccyear" autocomplete="cc-exp-year">${years()}</select></label>
        <label>Security code <input name="cvc" autocomplete="cc-csc" maxlength="4"></label>
        <button type="button">Pay</button></form>`,
      MASK,
    ),
    // Spanish labels and no autocomplete: one "MM / AA" expiry box with a mask.
    'tienda.test/': doc(
      'Pago',
      `<form id="pago"><label>Número de la tarjeta <input name="num" data-mask="card"></label>
        <label>Titular <input name="titular"></label>
        <label>Fecha de caducidad <input name="cad" placeholder="MM / AA" data-mask="expiry"></label>
        <label>CVV <input name="cvv" maxlength="3"></label><button type="button">Pagar</button></form>`,
      MASK,
      'es',
    ),
    // A payment provider's fields, each in an iframe of its own origin, inside the shop.
    'shop2.test/': doc(
      'Shop with a payment provider',
      `<p>Pay with card</p><div style="display:flex;flex-direction:column;gap:8px">
        <iframe id="f-number" src="${pay}/number" style="width:340px;height:90px;border:1px solid #ccc"></iframe>
        <iframe id="f-expiry" src="${pay}/expiry" style="width:340px;height:90px;border:1px solid #ccc"></iframe>
        <iframe id="f-cvc" src="${pay}/cvc" style="width:340px;height:90px;border:1px solid #ccc"></iframe></div>`,
    ),
    'pay.test/number': doc(
      '',
      `<input name="cardnumber" autocomplete="cc-number" placeholder="1234 1234 1234 1234" data-mask="card">`,
      MASK,
    ),
    'pay.test/expiry': doc(
      '',
      `<input name="exp-date" autocomplete="cc-exp" placeholder="MM / YY" data-mask="expiry">`,
      MASK,
    ),
    'pay.test/cvc': doc(
      '',
      `<input name="cvc" autocomplete="cc-csc" placeholder="CVC" maxlength="4">`,
    ),
    // Addresses: a US form with sections and tokens, a Spanish one with labels only, a UK one.
    'address.test/us': doc(
      'Shipping (US)',
      `<form id="ship"><label>First name <input name="fn" autocomplete="shipping given-name"></label>
        <label>Last name <input name="ln" autocomplete="shipping family-name"></label>
        <label>Street address <input name="a1" autocomplete="shipping address-line1"></label>
        <label>Apt, suite <input name="a2" autocomplete="shipping address-line2"></label>
        <label>City <input name="city" autocomplete="shipping address-level2"></label>
        <label>State <select name="state" autocomplete="shipping address-level1"><option value="">—</option><option value="CA">California</option><option value="NY">New York</option><option value="TX">Texas</option></select></label>
        <label>ZIP code <input name="zip" autocomplete="shipping postal-code"></label>
        <label>Country <select name="country" autocomplete="shipping country"><option value="">—</option><option value="CA">Canada</option><option value="US">United States</option><option value="ES">Spain</option></select></label>
        <label>Phone <input name="tel" type="tel" autocomplete="shipping tel"></label>
        <label>Email <input name="email" type="email" autocomplete="email"></label>
        <button type="button">Continue</button></form>`,
    ),
    'address.test/es': doc(
      'Envío',
      `<form id="envio"><label>Nombre <input name="nombre"></label>
        <label>Apellidos <input name="apellidos"></label>
        <label>Dirección <input name="direccion"></label>
        <label>Código postal <input name="cp"></label>
        <label>Ciudad <input name="ciudad"></label>
        <label>Provincia <select name="provincia"><option value="">—</option><option>Barcelona</option><option>Madrid</option><option>Sevilla</option></select></label>
        <label>País <select name="pais"><option value="">—</option><option value="FR">Francia</option><option value="ES">España</option><option value="PT">Portugal</option></select></label>
        <label>Teléfono <input name="telefono"></label><button type="button">Continuar</button></form>`,
      '',
      'es',
    ),
    'address.test/uk': doc(
      'Delivery (UK)',
      `<form id="uk"><label>Full name <input name="fullname"></label>
        <label>Address line 1 <input name="line1"></label>
        <label>Address line 2 <input name="line2"></label>
        <label>Town or city <input name="town"></label>
        <label>County <input name="county"></label>
        <label>Postcode <input name="postcode"></label>
        <label>Country <input name="country_name" autocomplete="country-name"></label>
        <button type="button">Deliver here</button></form>`,
    ),
  };
}
