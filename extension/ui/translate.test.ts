import { describe, expect, it } from 'vitest';
import { said } from '../../shared/i18n-msg.ts';
import { es as catalog } from './i18n-es.ts';
import { translator } from './translate.ts';

describe('translator', () => {
  const es = translator('es', catalog);
  const en = translator('en');

  it('should show a sentence filled in elsewhere (said) in the UI’s language, values kept', () => {
    const text = said('The server refused the sync ({code}).', { code: 'CONFLICT' });
    expect(text).toBe('The server refused the sync (CONFLICT).');
    expect(es(text)).toBe('El servidor rechazó la sincronización (CONFLICT).');
    expect(en(text)).toBe(text);
    expect(
      es(
        said('This kit needs {needed} different shares; {entered} entered.', {
          needed: 3,
          entered: 1,
        }),
      ),
    ).toBe('Este kit necesita 3 partes distintas; has introducido 1.');
  });

  it('should translate a sentence inside a sentence, as the import preview shows them', () => {
    const where = said('{file} — {where}', {
      file: 'credentials.csv',
      where: said('line {n} ({name})', { n: 3, name: 'Bank' }),
    });
    expect(es(where)).toBe('credentials.csv — línea 3 (Bank)');
    const why = said('could not be read: {why}', { why: 'a quote is opened and never closed' });
    expect(es(why)).toBe('no se pudo leer: se abren comillas que nunca se cierran');
    const kept = said('{what} is not valid ({why}), so it is kept as a custom field', {
      what: 'the card number',
      why: 'must be 8 to 19 digits',
    });
    expect(es(kept)).toBe(
      'el número de la tarjeta: no es válido (debe tener de 8 a 19 dígitos), así que se guarda como campo personalizado',
    );
    // A value that only looks like a sentence (a site's name) is left as it is.
    expect(es(said('This login is not saved for {site}.', { site: 'line 3' }))).toBe(
      'Este inicio de sesión no está guardado para line 3.',
    );
  });

  it('should read values with brackets, dots and stars as they are', () => {
    const site = 'a.b*(c)+[d]';
    expect(es(said('This login is not saved for {site}.', { site }))).toBe(
      `Este inicio de sesión no está guardado para ${site}.`,
    );
  });

  it('should leave a sentence it does not know as it came (a server’s own words)', () => {
    expect(es('Something the server wrote (42).')).toBe('Something the server wrote (42).');
    expect(es('The server refused the sync')).toBe('The server refused the sync');
  });

  it('should format plurals and numbers per language', () => {
    expect(es('{n, plural, one {# pending} other {# pending}}', { n: 2000 })).toBe(
      '2000 pendientes',
    );
    expect(en('{n, plural, one {# pending} other {# pending}}', { n: 2000 })).toBe('2,000 pending');
  });
});
