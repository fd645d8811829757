// The Previous and Next links under a list shown a page at a time. A page
// marks them with <nav class="govuk-pagination" id="pagination"> around
// <div id="prev"> and <div id="next">, each holding one <a>, all three
// hidden (portal-hidden) until there is a page to go to.
//
// A list either keeps its place in the address (the links are real links
// to `href(to)`), or loads in place (following a link calls `open(to)`);
// `to` is the offset of the first row of the page the link leads to.

// Show the link #`id` leading to offset `to`, or hide it (`to` null).
function pageLink(id, to, { href, open }) {
  const box = document.getElementById(id);
  box.classList.toggle('portal-hidden', to === null);
  if (to === null) return;
  const a = box.querySelector('a');
  if (href) {
    a.href = href(to);
  } else {
    a.onclick = (event) => {
      event.preventDefault();
      open(to);
    };
  }
}

// The links of a list of `total` rows shown `size` at a time from
// `offset`: Previous where rows come before, Next where rows come after,
// the whole block hidden when one page holds them all.
export function pageLinks(offset, size, total, how) {
  const prev = offset > 0 ? Math.max(0, offset - size) : null;
  const next = offset + size < total ? offset + size : null;
  document.getElementById('pagination').classList.toggle('portal-hidden', prev === null && next === null);
  pageLink('prev', prev, how);
  pageLink('next', next, how);
}
