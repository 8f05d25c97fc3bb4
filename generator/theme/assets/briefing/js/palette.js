{#- A theme template (pageshell.PALETTE_SCRIPT), rendered once for the site. -#}
{%- set options -%}{% include "partials/palette-options.html" %}{%- endset -%}
// Shared by every page, loaded right after Material's palette toggle: puts in the toggle's options
// (partials/palette-options.html), then applies the palette the reader chose before the page shows
// (Material's inline script, partials/javascripts/palette.html).
var toggle=document.querySelector("[data-md-component=palette]");if(toggle)toggle.innerHTML={{ options | trim | tojson }};
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
