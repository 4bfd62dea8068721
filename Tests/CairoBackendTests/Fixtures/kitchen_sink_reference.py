import matplotlib; matplotlib.use('Agg')
import matplotlib.pyplot as plt
plt.style.use('seaborn-v0_8')
fig, axs = plt.subplots(1, 2, figsize=(8, 3.5), sharey=True)
ax=axs[0]
x=[1,2,3,4,5]
ax.plot(x, [1,4,9,16,25], 'o-', label=r'$\Delta H$ fit')
ax.fill_between(x, [0.5,3,7,13,21], [1.5,5,11,19,29], color='C1', alpha=0.3, label=r'$\pm 1\sigma$')
ax.errorbar(x, [2,5,8,14,20], yerr=[1,1,2,2,3], fmt='s', capsize=3, label='errors')
ax.text(0.05, 0.9, r'$\eta = 10^{-3}$, $\beta_1$', transform=ax.transAxes, bbox=dict(boxstyle='round', facecolor='wheat', alpha=0.5))
ax.set_xlabel(r'steps ($\times 10^{3}$)'); ax.set_ylabel('loss'); ax.set_title(r'$\alpha$ sweep')
ax.set_xlim(0.5, 5.5); ax.set_ylim(0, 30); ax.set_xticks(x); ax.set_yticks([0,10,20,30])
ax.legend()
ax=axs[1]
ax.scatter([1,2,3],[5,10,20], s=[20,50,100], c='C2', label='pts')
ax.axhline(12, color='k', ls='-.', lw=1, label='ref')
ax.annotate('peak', (3,20), xytext=(4,4), textcoords='offset points')
ax.set_xlim(0.5, 3.5); ax.set_xticks([1,2,3])
ax.set_xlabel('x'); ax.legend(loc='lower right')
fig.suptitle('Kitchen sink'); fig.tight_layout()
fig.savefig('/tmp/figpipe-cairo/kitchen_ref.png', dpi=100, bbox_inches='tight')
print([a.get_position().bounds for a in axs])
