// Strings of the lesson pages (side by side, activations, network size), English and Korean.
// Merged with strings.js by i18n.js; keys must not repeat those of strings.js.

const en = {};

const ko = {};

export const LESSON_STRINGS = { en, ko };
