import ts from "typescript";

/**
 * The types that a package's public declarations mention but its entry points do not export
 * (as `name (file)`), each with the members that mention it. Walks from every export of the entry points through
 * the types of their public members (private members and `#fields` do not count), staying
 * inside the package's own declaration files.
 */
export function unexportedPublicTypes(entries: readonly string[], packageDir: string): Map<string, string[]> {
  const program = ts.createProgram([...entries], {
    strict: true, noEmit: true, module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, types: [],
  });
  const checker = program.getTypeChecker();
  const target = (s: ts.Symbol): ts.Symbol => (s.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(s) : s);
  const ours = (d: ts.Declaration): boolean => d.getSourceFile().fileName.startsWith(packageDir);

  const exported = new Set<ts.Symbol>();
  for (const entry of entries) {
    const module = checker.getSymbolAtLocation(program.getSourceFile(entry)!)!;
    for (const s of checker.getExportsOfModule(module)) exported.add(target(s));
  }
  const missing = new Map<string, string[]>();
  const todo = [...exported];
  const seen = new Set<ts.Symbol>();

  const visit = (node: ts.Node, path: string): void => {
    if (isPrivate(node)) return;
    let name: ts.EntityName | ts.Expression | undefined;
    if (ts.isTypeReferenceNode(node)) name = node.typeName;
    else if (ts.isExpressionWithTypeArguments(node)) name = node.expression;
    else if (ts.isTypeQueryNode(node)) name = node.exprName;
    if (name !== undefined) {
      const at = ts.isQualifiedName(name) ? name.right : ts.isPropertyAccessExpression(name) ? name.name : name;
      const symbol = checker.getSymbolAtLocation(at);
      if (symbol !== undefined) {
        const s = target(symbol);
        if (!(s.flags & ts.SymbolFlags.TypeParameter) && s.declarations?.some(ours)) {
          if (!exported.has(s)) {
            const key = `${s.name} (${s.declarations.find(ours)!.getSourceFile().fileName.slice(packageDir.length)})`;
            missing.set(key, [...new Set([...(missing.get(key) ?? []), path])]);
          }
          todo.push(s);
        }
      }
    }
    const member = (ts.isClassElement(node) || ts.isTypeElement(node) || ts.isParameter(node)) && node.name !== undefined && ts.isIdentifier(node.name);
    ts.forEachChild(node, (child) => visit(child, member ? `${path}.${(node.name as ts.Identifier).text}` : path));
  };

  while (todo.length > 0) {
    const s = todo.pop()!;
    if (seen.has(s)) continue;
    seen.add(s);
    for (const d of s.declarations ?? []) {
      if (ours(d) && !ts.isSourceFile(d) && !ts.isModuleDeclaration(d)) visit(d, s.name);
    }
    if (s.flags & ts.SymbolFlags.ValueModule) for (const e of checker.getExportsOfModule(s)) todo.push(target(e));
  }
  return missing;
}

function isPrivate(node: ts.Node): boolean {
  if (ts.isClassElement(node) && node.name !== undefined && ts.isPrivateIdentifier(node.name)) return true;
  if (!ts.isClassElement(node) && !ts.isParameter(node)) return false;
  return (ts.getCombinedModifierFlags(node as ts.Declaration) & ts.ModifierFlags.Private) !== 0;
}
