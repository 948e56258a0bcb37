/** Attributes of {@link h}: strings set as attributes, `on*` functions as listeners. */
type Attributes = Record<string, string | boolean | ((event: Event) => void) | undefined>;
type Child = Node | string | null | undefined | false;

/**
 * An element with attributes and children: the one DOM helper of the demo, so each screen
 * reads as the markup it makes. `true` sets a boolean attribute, `false`/undefined leaves it out.
 */
export function h(tag: string, attributes: Attributes = {}, ...children: Child[]): HTMLElement {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (typeof value === 'function') element.addEventListener(name.slice(2), value);
    else if (value === true) element.setAttribute(name, '');
    else if (typeof value === 'string') element.setAttribute(name, value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined && child !== false) element.append(child);
  }
  return element;
}

let fields = 0;

/** A labelled input: the label names it for screen readers and autofill. */
export function field(label: string, attributes: Attributes): HTMLElement {
  const id = `field-${++fields}`;
  return h(
    'p',
    {},
    h('label', { for: id }, label),
    h('input', { id, required: true, ...attributes }),
  );
}

/** The value of the form's input called `name`. */
export function inputValue(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  return input instanceof HTMLInputElement ? input.value : '';
}
