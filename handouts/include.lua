--[[ include.lua - code listings and program output from tested files.

  In a chapter:

    ```{.c include="kernel/mbox.c" region="receive"}
    ```
    ```{.text include="examples/02-links/trap.out"}
    ```

  fill the block with the lines between `/* region: receive */` and the next
  `/* endregion */` (each on its own line; `// region: x` and `# region: x`
  work too), or with the whole file when there is no region=. Paths are from
  the root of the kit (make runs pandoc there). Other marker lines inside a
  region are dropped, so regions may nest; common indentation is removed.
  With class .numberLines the listing is numbered from its real line number.

  A listing never shows a solution: a region that contains a solution block
  (BEGIN SOLUTION ... END SOLUTION), or lies inside one, stops the build. A
  region of a reference file that is free of solution blocks is what the
  student sees in the exercise generated from it (exercises/ drops only the
  region markers and the solution blocks), so such a listing is labelled and
  numbered as the exercise file, and the build stops if the exercise does not
  contain it word for word (run `make exercises`).

  Every listing is wrapped in a <div class="listing"> with the file's path
  above it. A missing file or region stops pandoc with one line:
    handouts: chapters/02-links.md: region 'trap' not found in examples/02-links/trap.c
]]

-- The chapter being read: the input file, or (in the book) the file the
-- book filter noted on the block.
local function source_of(cb)
  return cb.attributes["chapter-file"] or PANDOC_STATE.input_files[1] or "?"
end

local current = "?"
local SHORT_LISTING = 15      -- lines: a quarter of a printed page

local function fail(msg)
  io.stderr:write("handouts: " .. current .. ": " .. msg .. "\n")
  os.exit(1)
end

local function read_lines(path)
  local f = io.open(path, "r")
  if not f then fail("cannot include " .. path .. ": no such file") end
  local lines = {}
  for line in f:lines() do lines[#lines + 1] = line end
  f:close()
  return lines
end

-- "region: NAME" / "endregion" as a whole comment line in C, C++ or shell style.
local function marker(line)
  local body = line:match("^%s*/%*%s*(.-)%s*%*/%s*$")
      or line:match("^%s*//%s*(.-)%s*$")
      or line:match("^%s*#%s*(.-)%s*$")
  if body == nil then return nil end
  if body == "endregion" then return "end" end
  local name = body:match("^region:%s*([%w_%-%.]+)$")
  if name then return "begin", name end
  return nil
end

local function solution_marker(line)
  if line:find("BEGIN SOLUTION", 1, true) then return "begin" end
  if line:find("END SOLUTION", 1, true) then return "end" end
  return nil
end

-- Keep the lines of region 'name' (or of the whole file): returns the lines
-- and the line number of the first one. Stops on a solution inside.
local function extract(lines, name, path)
  local out, first, found, in_solution = {}, nil, false, false
  local inside, depth = (name == nil), 0
  for i, l in ipairs(lines) do
    local kind, n = marker(l)
    local sol = solution_marker(l)
    if sol == "begin" then in_solution = true end
    if kind == "begin" and n == name then
      if found then fail("region '" .. name .. "' appears twice in " .. path) end
      found, inside = true, true
    elseif kind == "begin" and inside then
      depth = depth + 1                  -- a region nested in ours
    elseif kind == "end" and inside and name ~= nil then
      if depth > 0 then depth = depth - 1 else inside = false end
    elseif kind == nil and inside then
      if sol ~= nil or in_solution then
        fail((name and ("region '" .. name .. "' of ") or "") .. path ..
             " contains a solution block (line " .. i .. "): handouts are for students")
      end
      first = first or i
      out[#out + 1] = l
    end
    if sol == "end" then in_solution = false end
  end
  if name ~= nil and not found then
    fail("region '" .. name .. "' not found in " .. path)
  end
  if inside and name ~= nil then fail("region '" .. name .. "' has no endregion in " .. path) end
  return out, first or 1
end

local function dedent(lines)
  local min
  for _, l in ipairs(lines) do
    if l:match("%S") then
      local ind = #l:match("^[ \t]*")
      if min == nil or ind < min then min = ind end
    end
  end
  local out = {}
  for i, l in ipairs(lines) do out[i] = l:sub((min or 0) + 1) end
  return out
end

-- A region of solutions/X as the student sees it in exercises/X: the same
-- lines, found word for word; returns the exercise path and first line.
local function as_exercise(path, lines)
  local ex = path:gsub("^solutions/", "exercises/", 1)
  local exlines = read_lines(ex)
  for start = 1, #exlines - #lines + 1 do
    local ok = true
    for k = 1, #lines do
      if exlines[start + k - 1] ~= lines[k] then ok = false; break end
    end
    if ok then return ex, start end
  end
  fail("the listing from " .. path .. " is not in " .. ex ..
       " word for word (run make exercises)")
end

function CodeBlock(cb)
  local path = cb.attributes["include"]
  if path == nil then return nil end
  current = source_of(cb)
  local region = cb.attributes["region"]
  local lines, first = extract(read_lines(path), region, path)
  local shown = path
  if path:match("^solutions/") then
    shown, first = as_exercise(path, lines)
  end
  cb.text = table.concat(dedent(lines), "\n")
  cb.attributes["include"] = nil
  cb.attributes["region"] = nil
  cb.attributes["chapter-file"] = nil
  if cb.classes:includes("numberLines") and cb.attributes["startFrom"] == nil then
    cb.attributes["startFrom"] = tostring(first)
  end
  local label = pandoc.Para({ pandoc.Code(shown) })
  -- a short listing is kept on one page; a long one may break (the
  -- stylesheet keeps a few lines together on each side of the break)
  local classes = { "listing" }
  if #lines <= SHORT_LISTING then classes[2] = "short" end
  return pandoc.Div({ label, cb }, pandoc.Attr("", classes))
end
