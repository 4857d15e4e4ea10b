--[[ crossref.lua - numbered figures and tables, and references to them.

  ![The link graph.](diagrams/02-links-graph.svg){#fig:links width=70%}
  : Exit signals and what they do {#tbl:signals}
  ... as @fig:links shows; see @tbl:signals.

  Figures and tables are numbered per chapter, "Figure 2.1", "Table 2.1", in
  the chapter's handout and in the book alike; @fig:x and @tbl:x become links
  with those words. A reference to a figure or table that does not exist
  stops the build with one line. pandoc 2.17 has none of this built in.

  A figure is drawn at the size of the text (Graphviz sizes its SVG in
  points) and only shrinks to fit: a width= on a figure is a maximum, so a
  small graph is never blown up to a giant one.

  The chapter number comes from the file name (chapters/02-links.md), or in
  the book from the chapter headings the book filter writes.

  Sections are numbered with the chapter's number in front, "2.3 Exit
  signals", in a chapter's handout as in the book (book.lua numbers the
  book's): a hint that says §2.3 "Exit signals" finds the same section in
  both, and its title finds it in the Markdown. It is also set
  as the metadata field chapter-number, for the page template, and a title
  "Chapter 2 — Links" loses its "Chapter 2 —": the page shows it as a label.
]]

local title = dofile(pandoc.path.join({
  pandoc.path.directory(PANDOC_SCRIPT_FILE), "title.lua" }))

local chapter = nil           -- "2"
local numbers = {}            -- id -> "Figure 2.1"
local counts = { fig = 0, tbl = 0 }
local names = { fig = "Figure", tbl = "Table" }
local file = PANDOC_STATE.input_files[1] or "?"

local function fail(msg)
  io.stderr:write("handouts: " .. file .. ": " .. msg .. "\n")
  os.exit(1)
end

local function chapter_of(path)
  local nn = path:match("(%d%d)%-[^/]*$")
  return nn and tostring(tonumber(nn)) or nil
end

local function label_for(kind, id)
  if numbers[id] then fail("two figures or tables are called " .. id) end
  counts[kind] = counts[kind] + 1
  local n = (chapter and (chapter .. ".") or "") .. counts[kind]
  numbers[id] = names[kind] .. " " .. n
  return numbers[id]
end

-- A figure: a paragraph that holds only an image with a caption.
local function number_figure(para)
  if #para.content ~= 1 or para.content[1].t ~= "Image" then return nil end
  local img = para.content[1]
  local w = img.attributes["width"]
  if w then
    img.attributes["width"] = nil
    img.attributes["style"] = "max-width: " .. w
  end
  if not img.identifier:match("^fig:") or #img.caption == 0 then return para end
  local label = label_for("fig", img.identifier)
  img.caption:insert(1, pandoc.Strong({ pandoc.Str(label .. ":") }))
  img.caption:insert(2, pandoc.Space())
  return para
end

-- A table whose caption ends in {#tbl:id}.
local function number_table(tbl)
  local long = tbl.caption.long
  if #long == 0 then return nil end
  local inl = long[#long].content
  local last = inl[#inl]
  if last == nil or last.t ~= "Str" then return nil end
  local id = last.text:match("^{#(tbl:[%w_%-%.]+)}$")
  if id == nil then return nil end
  inl:remove(#inl)
  if #inl > 0 and inl[#inl].t == "Space" then inl:remove(#inl) end
  tbl.identifier = id
  local label = label_for("tbl", id)
  inl:insert(1, pandoc.Strong({ pandoc.Str(label .. ":") }))
  inl:insert(2, pandoc.Space())
  return tbl
end

local function resolve(cite)
  local out = pandoc.List()
  for i, c in ipairs(cite.citations) do
    local label = numbers[c.id]
    if label == nil then
      if c.id:match("^fig:") or c.id:match("^tbl:") then
        fail("@" .. c.id .. " refers to no figure or table")
      end
      return nil                    -- not ours
    end
    if i > 1 then out:insert(pandoc.Str(", ")) end
    out:insert(pandoc.Link(label, "#" .. c.id))
  end
  return out
end

-- A chapter's own handout: number its sections N.1, N.1.1, ... as the book
-- does (pandoc's --number-sections would start from 1, without the chapter).
local function number_sections(doc)
  local counters = { 0, 0, 0, 0, 0, 0 }
  for _, b in ipairs(doc.blocks) do
    if b.t == "Header" and not b.classes:includes("unnumbered") then
      counters[b.level] = counters[b.level] + 1
      for k = b.level + 1, #counters do counters[k] = 0 end
      local parts = { chapter }
      for k = 1, b.level do parts[#parts + 1] = tostring(counters[k]) end
      b.content:insert(1, pandoc.Span({ pandoc.Str(table.concat(parts, ".")) },
                                      pandoc.Attr("", { "header-section-number" })))
      b.content:insert(2, pandoc.Space())
    end
  end
end

-- Number in reading order; a chapter heading of the book starts a chapter.
local function number_all(doc)
  chapter = chapter_of(file)
  if chapter and doc.meta.title then
    -- "Chapter 2 — Links" shows as the label "Chapter 2" above "Links"
    local n, rest = title.split(doc.meta.title)
    if n then
      doc.meta.pagetitle = pandoc.utils.stringify(doc.meta.title)
      doc.meta.title = pandoc.MetaInlines(rest)
    end
    doc.meta["chapter-number"] = chapter
    number_sections(doc)
  end
  local filter = { Para = number_figure, Table = number_table }
  for i, b in ipairs(doc.blocks) do
    if b.t == "Header" and b.attributes["chapter"] then
      chapter = tostring(tonumber(b.attributes["chapter"]))
      counts = { fig = 0, tbl = 0 }
    end
    -- walk the block and everything in it exactly once, in order
    doc.blocks[i] = pandoc.walk_block(pandoc.Div({ b }), filter).content[1]
  end
  return doc
end

return {
  { Pandoc = number_all },
  { Cite = resolve },
}
