--[[ title.lua - shared by crossref.lua and book.lua (loaded with dofile).

  A chapter's title may carry its number: "Chapter 2 — Links and exit
  signals". The handouts show the number apart (a label above the title, or
  "Chapter 2" before the book's chapter heading), so split it off:

    split(inlines) -> "2", inlines of "Links and exit signals"
                   -> nil, inlines   when the title has no number
]]

local seps = { ["—"] = true, ["–"] = true, ["-"] = true, [":"] = true }

local function split(inlines)
  local l = pandoc.List(inlines)
  if #l < 3 or l[1].t ~= "Str" or l[1].text ~= "Chapter" or l[2].t ~= "Space"
      or l[3].t ~= "Str" then
    return nil, inlines
  end
  local n, tail = l[3].text:match("^(%d+)(.*)$")
  if n == nil or not (tail == "" or seps[tail] or tail == ".") then
    return nil, inlines
  end
  local i = 4
  if l[i] and l[i].t == "Space" then i = i + 1 end
  if tail == "" and l[i] and l[i].t == "Str" and seps[l[i].text] then
    i = i + 1
    if l[i] and l[i].t == "Space" then i = i + 1 end
  end
  if l[i] == nil then return nil, inlines end
  local rest = pandoc.List()
  for k = i, #l do rest:insert(l[k]) end
  return tostring(tonumber(n)), rest
end

return { split = split }
