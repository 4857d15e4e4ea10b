--[[ book.lua - the whole course as one document.

  pandoc handouts/book.md -M chapter-files="chapters/00-processes.md ..." \
      -L handouts/book.lua -L handouts/include.lua -L handouts/crossref.lua

  Reads each chapter, in the order given, and appends it to the book:

  - the chapter's title becomes a level-1 heading "N Title" (class chapter,
    attribute chapter=NN), and its headings move one level down, numbered
    N.1, N.1.1, ... -- the numbers the chapter's own handout shows, with the
    chapter's number in front (a rubric hint's §3 of chapter 2 is 2.3);
  - every identifier, and every link and reference to one, gets the prefix
    cNN- (fig:x becomes fig:cNN-x), so two chapters may both have a section
    "Exercises" or a figure fig:tree;
  - listings remember their chapter, so that an include error names it.

  The numbers are written here, not by --number-sections, because pandoc
  would number the chapters from 1 and the course starts at chapter 0.
]]

local title = dofile(pandoc.path.join({
  pandoc.path.directory(PANDOC_SCRIPT_FILE), "title.lua" }))

local function prefixed(p, id)
  if id == nil or id == "" then return id end
  local kind, rest = id:match("^(%a%a%a):(.*)$")
  if kind == "fig" or kind == "tbl" then return kind .. ":" .. p .. rest end
  return p .. id
end

-- One chapter's blocks, renamed and renumbered for the book.
local function chapter_blocks(path)
  local f = io.open(path, "r")
  if not f then
    io.stderr:write("handouts: book: cannot read " .. path .. "\n")
    os.exit(1)
  end
  local doc = pandoc.read(f:read("a"), "markdown")
  f:close()
  local nn = path:match("(%d%d)%-[^/]*$") or "00"
  local n = tostring(tonumber(nn))
  local p = "c" .. nn .. "-"
  local counters = { 0, 0, 0, 0, 0 }

  local function number(h)
    if h.classes:includes("unnumbered") then return end
    counters[h.level] = counters[h.level] + 1
    for k = h.level + 1, #counters do counters[k] = 0 end
    local parts = { n }
    for k = 1, h.level do parts[#parts + 1] = tostring(counters[k]) end
    h.content:insert(1, pandoc.Span({ pandoc.Str(table.concat(parts, ".")) },
                                    pandoc.Attr("", { "header-section-number" })))
    h.content:insert(2, pandoc.Space())
  end

  local blocks = pandoc.walk_block(pandoc.Div(doc.blocks), {
    Header = function(h)
      number(h)
      h.identifier = prefixed(p, h.identifier)
      h.level = math.min(h.level + 1, 6)
      return h
    end,
    Image = function(img)
      img.identifier = prefixed(p, img.identifier)
      return img
    end,
    Link = function(l)
      local t = l.target:match("^#(.*)$")
      if t then l.target = "#" .. prefixed(p, t) end
      return l
    end,
    Cite = function(c)
      for _, cit in ipairs(c.citations) do cit.id = prefixed(p, cit.id) end
      return c
    end,
    Str = function(s)                     -- a table's caption: {#tbl:x}
      local id = s.text:match("^{#(tbl:[%w_%-%.]+)}$")
      if id then return pandoc.Str("{#" .. prefixed(p, id) .. "}") end
    end,
    CodeBlock = function(cb)
      if cb.attributes["include"] then cb.attributes["chapter-file"] = path end
      return cb
    end,
    Div = function(d)
      d.identifier = prefixed(p, d.identifier)
      return d
    end,
  }).content

  local name = pandoc.List({ pandoc.Str(path) })
  if doc.meta.title then
    local _, rest = title.split(doc.meta.title)   -- "Chapter 2 — Links"
    name = pandoc.List(rest)
  end
  local content = pandoc.List({
    pandoc.Span({ pandoc.Str(n) }, pandoc.Attr("", { "header-section-number" })),
    pandoc.Space() })
  content:extend(name)
  local head = pandoc.Header(1, content,
    pandoc.Attr("c" .. nn, { "chapter" }, { chapter = nn }))
  table.insert(blocks, 1, head)
  return blocks
end

function Pandoc(doc)
  local files = doc.meta["chapter-files"]
  files = files and pandoc.utils.stringify(files) or ""
  for path in files:gmatch("%S+") do
    for _, b in ipairs(chapter_blocks(path)) do doc.blocks:insert(b) end
  end
  doc.meta["chapter-files"] = nil
  return doc
end
