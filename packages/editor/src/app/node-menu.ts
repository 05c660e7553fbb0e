import { Presets as ContextMenuPresets, type ContextMenuPlugin } from 'rete-context-menu-plugin';
import type { Sa3Schemes } from '../plugin/index.js';
import { nodeTypesByCategory } from './node-types.js';

type MenuItems = ConstructorParameters<typeof ContextMenuPlugin<Sa3Schemes>>[0]['items'];

/** The canvas's right-click menu: node types in a submenu per category; a node's own menu offers Delete. */
export function nodeMenuItems(add: (type: string) => void): MenuItems {
  const nodeItems = ContextMenuPresets.classic.setup<Sa3Schemes>([]);
  const list = nodeTypesByCategory().map(({ category, types }) => ({
    label: category,
    key: category,
    handler: () => undefined,
    subitems: types.map((definition) => ({ label: definition.title, key: definition.type, handler: () => add(definition.type) })),
  }));
  return (context, plugin) => (context === 'root' ? { searchBar: true, list } : nodeItems(context, plugin));
}

/** The most types a category's submenu lists: the room the menu keeps below it. */
const longestSubmenu = Math.max(...nodeTypesByCategory().map((g) => g.types.length));

/**
 * Moves a context menu opened near the window's edge back inside it, with room for a submenu
 * to its right and below. React draws the menu a moment after the plugin places its element;
 * it stays hidden until it is where it will stay.
 */
export function keepMenuInViewport(element: HTMLElement, framesLeft = 10): void {
  element.style.visibility = 'hidden';
  requestAnimationFrame(() => {
    const menu = element.querySelector<HTMLElement>('[data-testid="context-menu"]');
    if (!menu && framesLeft > 0) return keepMenuInViewport(element, framesLeft - 1);
    element.style.visibility = '';
    if (!menu) return;
    const rect = menu.getBoundingClientRect();
    const item = menu.querySelector<HTMLElement>('[data-testid="context-menu-item"]');
    const itemHeight = item?.getBoundingClientRect().height ?? 0;
    const right = rect.right + rect.width; // a submenu opens beside the menu, as wide as it
    const bottom = Math.max(rect.bottom, (item?.getBoundingClientRect().bottom ?? rect.bottom) + (longestSubmenu - 1) * itemHeight);
    const dx = Math.max(-rect.left, Math.min(0, window.innerWidth - right));
    const dy = Math.max(-rect.top, Math.min(0, window.innerHeight - bottom));
    if (dx !== 0) element.style.left = `${parseFloat(element.style.left) + dx}px`;
    if (dy !== 0) element.style.top = `${parseFloat(element.style.top) + dy}px`;
  });
}
