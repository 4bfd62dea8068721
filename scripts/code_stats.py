#!/usr/bin/env python3
"""Code statistics for a closing note: Swift lines per Sources/ module and the longest
functions (brace-matched, string literals and comments ignored). Usage: scripts/code_stats.py [ROOT]"""
import os,re,sys,subprocess
root=sys.argv[1] if len(sys.argv) > 1 else "."
mods={}
for m in sorted(os.listdir(os.path.join(root,'Sources'))):
    n=0
    for dp,dn,fn in os.walk(os.path.join(root,'Sources',m)):
        for f in fn:
            if f.endswith('.swift'): n+=sum(1 for _ in open(os.path.join(dp,f)))
    mods[m]=n
# longest function: from a line with 'func ' or 'init(' to its matching brace
best=[]
for dp,dn,fn in os.walk(os.path.join(root,'Sources')):
    for f in fn:
        if not f.endswith('.swift'): continue
        p=os.path.join(dp,f); lines=open(p).read().split('\n')
        for i,l in enumerate(lines):
            if re.search(r'\b(func|init)\b[^=]*[({]',l) and not l.strip().startswith('//'):
                depth=0; started=False
                for j in range(i,len(lines)):
                    code=re.sub(r'"(?:[^"\\]|\\.)*"','""',lines[j].split('//')[0])
                    for ch in code:
                        if ch=='{': depth+=1; started=True
                        elif ch=='}': depth-=1
                    if started and depth<=0:
                        best.append((j-i+1,p.replace(root+'/',''),i+1,l.strip()[:60])); break
best.sort(reverse=True)
print("lines per module:"); [print(f"  {k}: {v}") for k,v in mods.items()]
print("total", sum(mods.values()))
print("longest functions:"); [print("  ",b) for b in best[:5]]
