// Small DOM helpers shared by the panels, and the one place errors reach the person.

export const $ = (selector) => document.querySelector(selector);

/** `el('td', { class: 'size' }, '12')`: an element with attributes/handlers and children. */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(props)) {
    if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
    else node.setAttribute(key, value);
  }
  node.append(...children);
  return node;
}

export function setStatus(text) {
  $('#status').textContent = text;
}

/** Shows an SDK error with its class name (DaytonaAuthenticationError, …) and status code. */
export function showError(error) {
  const name = error?.name ?? 'Error';
  const code = error?.statusCode ? ` (HTTP ${error.statusCode})` : '';
  $('#error span').textContent = `${name}${code}: ${error?.message ?? error}`;
  $('#error').hidden = false;
  console.error(error);
}

export function clearError() {
  $('#error').hidden = true;
}

/** Runs an async action with `button` disabled, showing any error instead of dropping it. */
export async function action(button, fn) {
  if (button) button.disabled = true;
  try {
    clearError();
    return await fn();
  } catch (error) {
    showError(error);
  } finally {
    if (button) button.disabled = false;
  }
}
