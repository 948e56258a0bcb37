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

/**
 * A labelled input: the label names it for screen readers and autofill; `hint` (the rule the
 * value must follow) is shown under it and read with it.
 */
export function field(label: string, attributes: Attributes, hint?: string): HTMLElement {
  const id = `field-${++fields}`;
  return h(
    'p',
    {},
    h('label', { for: id }, label),
    h('input', {
      id,
      required: true,
      ...(hint === undefined ? {} : { 'aria-describedby': `${id}-hint` }),
      ...attributes,
    }),
    hint === undefined ? undefined : h('small', { id: `${id}-hint`, class: 'muted' }, hint),
  );
}

/** The value of the form's input called `name`; usernames and addresses without stray spaces. */
export function inputValue(form: HTMLFormElement, name: string): string {
  const input = form.elements.namedItem(name);
  if (!(input instanceof HTMLInputElement)) return '';
  return input.type === 'password' ? input.value : input.value.trim();
}
